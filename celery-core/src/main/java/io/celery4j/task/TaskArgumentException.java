package io.celery4j.task;

import io.celery4j.CeleryException;

/**
 * The arguments of a request do not fit the task's parameters: wrong count, an unknown
 * keyword, a missing argument or a value that cannot be converted. Stored as Python's
 * {@code TypeError}, what a Python task raises for the same mistakes.
 */
public class TaskArgumentException extends CeleryException {

	private final String taskName;

	public TaskArgumentException(String taskName, String message) {
		super(message);
		this.taskName = taskName;
	}

	public TaskArgumentException(String taskName, String message, Throwable cause) {
		super(message, cause);
		this.taskName = taskName;
	}

	/**
	 * Return the name of the task whose arguments did not fit.
	 * @return the task name
	 */
	public String getTaskName() {
		return this.taskName;
	}

}
