package io.celery4j.sample.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.celery4j.testsupport.PythonWorker;

/**
 * The Python side of the interop tests, kept in {@code celery-core/src/test/python}:
 * {@code pyapp.py} (a Celery app with {@code py.*} tasks) and {@code contract_client.py}.
 */
final class PythonScripts {

	private PythonScripts() {
	}

	/**
	 * Return the directory of the Python scripts.
	 * @return the absolute directory
	 */
	static Path directory() {
		return PythonWorker.scriptsDirectory();
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
