package io.celery4j.task;

import io.celery4j.CeleryException;

/**
 * The hard time limit of a task passed: the worker stopped waiting for it, stored this
 * failure and replaced the thread that ran it. Stored as Celery's
 * {@code celery.exceptions.TimeLimitExceeded} with the limit in seconds as its argument.
 */
public class TimeLimitExceededException extends CeleryException {

	/**
	 * Create an exception for a hard limit.
	 * @param message what passed
	 */
	public TimeLimitExceededException(String message) {
		super(message);
	}

}
