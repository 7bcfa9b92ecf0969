package io.celery4j.sample.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Python side of the interop tests, kept in {@code celery-core/src/test/python}:
 * {@code pyapp.py} (a Celery app with {@code py.*} tasks) and {@code contract_client.py}.
 */
final class PythonScripts {

	private static final Path RELATIVE = Path.of("celery-core", "src", "test", "python");

	private PythonScripts() {
	}

	/**
	 * Return the directory of the Python scripts, found from the working directory (the
	 * module's or the repository's) upwards.
	 * @return the absolute directory
	 */
	static Path directory() {
		Path start = Path.of("").toAbsolutePath();
		for (Path current = start; current != null; current = current.getParent()) {
			Path candidate = current.resolve(RELATIVE);
			if (Files.isRegularFile(candidate.resolve("pyapp.py"))) {
				return candidate;
			}
		}
		throw new IllegalStateException(
				"No " + RELATIVE + "/pyapp.py in " + start + " or any parent; run the tests from the repository");
	}

	/**
	 * Return the source of one script.
	 * @param name the file name, for example {@code contract_client.py}
	 * @return the source text
	 */
	static String read(String name) {
		try {
			return Files.readString(directory().resolve(name), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read Python script " + name, ex);
		}
	}

}
