package io.celery4j.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the captures of real Celery copied from {@code shared/celery-wire/vectors}.
 */
public final class Vectors {

	private Vectors() {
	}

	/**
	 * Return a vector's text.
	 * @param name the file name, for example {@code event-worker-heartbeat.json}
	 * @return the exact bytes as text
	 */
	public static String read(String name) {
		try (InputStream in = Vectors.class.getResourceAsStream("/celery-wire/vectors/" + name)) {
			if (in == null) {
				throw new IllegalStateException("Test vector " + name + " is missing from celery-wire/vectors");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Test vector " + name + " could not be read", ex);
		}
	}

}
