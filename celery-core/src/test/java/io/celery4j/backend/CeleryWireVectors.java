package io.celery4j.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The byte captures of real Celery 5.2.6 copied from {@code shared/celery-wire/vectors}
 * into the test resources.
 */
public final class CeleryWireVectors {

	private CeleryWireVectors() {
	}

	/**
	 * Return the names of the captured result records of single tasks.
	 * @return the file names, for example {@code result-success-int.json}
	 */
	public static List<String> taskResultNames() {
		try (Stream<Path> files = Files.list(directory())) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.startsWith("result-") && name.endsWith(".json"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return a captured vector exactly as Celery stored it.
	 * @param name the file name
	 * @return the text
	 */
	public static String read(String name) {
		try {
			return Files.readString(directory().resolve(name), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path directory() {
		URL url = CeleryWireVectors.class.getResource("/celery-wire/vectors");
		if (url == null) {
			throw new IllegalStateException("Test resources celery-wire/vectors are missing");
		}
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
