package io.celery4j.task;

import io.celery4j.CeleryException;

/**
 * A task name that no task is registered under. Counterpart of Celery's
 * {@code NotRegistered}.
 */
public class NotRegisteredException extends CeleryException {

	private final String taskName;

	public NotRegisteredException(String taskName) {
		super("Task '" + taskName + "' is not registered");
		this.taskName = taskName;
	}

	/**
	 * Return the unknown task name.
	 * @return the name
	 */
	public String getTaskName() {
		return this.taskName;
	}

}
