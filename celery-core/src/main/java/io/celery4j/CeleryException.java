package io.celery4j;

import org.jspecify.annotations.Nullable;

/**
 * Root of the exception tree of Celery for Java. Counterpart of Celery's
 * {@code celery.exceptions.CeleryError}.
 */
public class CeleryException extends RuntimeException {

	public CeleryException(String message) {
		super(message);
	}

	public CeleryException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
