package io.celery4j.client;

import io.celery4j.CeleryException;
import io.celery4j.backend.ExceptionInfo;
import org.jspecify.annotations.Nullable;

/**
 * A task ended in FAILURE. Carries the remote exception as the worker stored it: type
 * (for example {@code ValueError}), message, module and traceback text, whichever
 * language the worker was written in.
 */
public class TaskFailedException extends CeleryException {

	private final String taskId;

	private final ExceptionInfo exception;

	private final @Nullable String remoteTraceback;

	public TaskFailedException(String taskId, ExceptionInfo exception, @Nullable String remoteTraceback) {
		super("Task " + taskId + " failed: " + exception.type() + ": " + exception.message());
		this.taskId = taskId;
		this.exception = exception;
		this.remoteTraceback = remoteTraceback;
	}

	/**
	 * Return the id of the failed task.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the remote exception's type name ({@code exc_type}).
	 * @return the type, for example {@code ValueError}
	 */
	public String getExceptionType() {
		return this.exception.type();
	}

	/**
	 * Return the remote exception's message.
	 * @return the message
	 */
	public String getExceptionMessage() {
		return this.exception.message();
	}

	/**
	 * Return the remote exception record.
	 * @return {@code exc_type}, {@code exc_message}, {@code exc_module}
	 */
	public ExceptionInfo getException() {
		return this.exception;
	}

	/**
	 * Return the traceback text the worker stored.
	 * @return the traceback or {@code null}
	 */
	public @Nullable String getRemoteTraceback() {
		return this.remoteTraceback;
	}

}
