package io.celery4j.backend;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task's result record as the backend stores it under {@code celery-task-meta-<id>}
 * (PROTOCOL.md 3.2). The extended fields ({@code name} to {@code queue}) are null unless
 * written with {@code result_extended}.
 *
 * @param taskId the task id
 * @param status the state, see {@link TaskState}
 * @param result the return value, an exception record, or {@code {pid, hostname}} for
 * STARTED
 * @param traceback traceback text for FAILURE and RETRY
 * @param children results of tasks this task sent, each {@code [[id, null], null]}
 * @param dateDone naive UTC ISO 8601 time for ready states
 * @param groupId the group the task belongs to
 * @param parentId the task that sent this one
 * @param name task name (extended)
 * @param args positional arguments (extended)
 * @param kwargs keyword arguments (extended)
 * @param worker node name (extended)
 * @param retries retry count (extended)
 * @param queue routing key (extended)
 */
public record TaskMeta(String taskId, String status, @Nullable Object result, @Nullable String traceback,
		List<@Nullable Object> children, @Nullable String dateDone, @Nullable String groupId, @Nullable String parentId,
		@Nullable String name, @Nullable List<@Nullable Object> args, @Nullable Map<String, @Nullable Object> kwargs,
		@Nullable String worker, @Nullable Integer retries, @Nullable String queue) {

	/**
	 * Return the record of a task the backend knows nothing about.
	 * @param taskId the task id
	 * @return a PENDING record
	 */
	public static TaskMeta pending(String taskId) {
		return new TaskMeta(taskId, TaskState.PENDING, null, null, List.of(), null, null, null, null, null, null, null,
				null, null);
	}

	/**
	 * Return whether the task is done (SUCCESS, FAILURE or REVOKED).
	 * @return whether the state is ready
	 */
	public boolean isReady() {
		return TaskState.isReady(this.status);
	}

	/**
	 * Return the exception record of a FAILURE, RETRY or REVOKED result.
	 * @return the exception, or {@code null} when the result is not one
	 */
	public @Nullable ExceptionInfo exception() {
		return TaskState.isException(this.status) ? ExceptionInfo.fromValue(this.result) : null;
	}

}
