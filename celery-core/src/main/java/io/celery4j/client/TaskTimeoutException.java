package io.celery4j.client;

import java.time.Duration;

import io.celery4j.CeleryException;

/**
 * A result was not ready within the time a caller waited. Counterpart of Celery's
 * {@code celery.exceptions.TimeoutError}.
 */
public class TaskTimeoutException extends CeleryException {

	private final String taskId;

	private final String state;

	public TaskTimeoutException(String taskId, Duration timeout, String state) {
		super("Task " + taskId + " was not ready within " + timeout + " (state " + state + ")");
		this.taskId = taskId;
		this.state = state;
	}

	/**
	 * Return the id of the task waited for.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the state the task was in when the wait ended.
	 * @return the state, for example {@code PENDING}
	 */
	public String getState() {
		return this.state;
	}

}
