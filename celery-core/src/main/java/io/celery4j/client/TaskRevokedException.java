package io.celery4j.client;

import io.celery4j.CeleryException;

/**
 * A task ended REVOKED: revoked before it ran, terminated while running, or expired.
 * Counterpart of Celery's {@code TaskRevokedError}.
 */
public class TaskRevokedException extends CeleryException {

	private final String taskId;

	private final String reason;

	public TaskRevokedException(String taskId, String reason) {
		super("Task " + taskId + " was revoked (" + reason + ")");
		this.taskId = taskId;
		this.reason = reason;
	}

	/**
	 * Return the id of the revoked task.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return why: {@code revoked}, {@code terminated} or {@code expired}.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
