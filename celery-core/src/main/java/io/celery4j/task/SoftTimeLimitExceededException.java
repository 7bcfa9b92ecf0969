package io.celery4j.task;

import io.celery4j.CeleryException;

/**
 * The soft time limit of the running task has passed. The worker interrupts the task's
 * thread when it passes; a task that ends because of that interrupt fails with this
 * exception, stored as Celery's {@code celery.exceptions.SoftTimeLimitExceeded}. A task
 * may catch the interrupt ({@link InterruptedException}, or find
 * {@link Thread#isInterrupted()} set) to clean up and return normally, as a Python task
 * catches {@code SoftTimeLimitExceeded}; it may also throw this exception itself.
 */
public class SoftTimeLimitExceededException extends CeleryException {

	/**
	 * Create an exception for a soft limit.
	 * @param message what passed, for example {@code SoftTimeLimitExceeded()}
	 * @param cause the interrupt it replaces, if any
	 */
	public SoftTimeLimitExceededException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create an exception for a soft limit without a cause.
	 * @param message what passed
	 */
	public SoftTimeLimitExceededException(String message) {
		super(message);
	}

}
