package io.celery4j.task;

import io.celery4j.CeleryException;

/**
 * Thrown by {@link TaskContext#retry(RetryOptions)} when the task may not be retried
 * again and no cause was given. Stored as Celery's
 * {@code celery.exceptions.MaxRetriesExceededError}.
 */
public class MaxRetriesExceededException extends CeleryException {

	/**
	 * Create an exception.
	 * @param message Celery's message:
	 * {@code Can't retry <task>[<id>] args:... kwargs:...}
	 */
	public MaxRetriesExceededException(String message) {
		super(message);
	}

}
