package io.celery4j.worker;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.protocol.TaskHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Builds the result records a worker stores (PROTOCOL.md 3.3).
 */
final class TaskResults {

	/** exc_message of a task revoked before it ran. */
	static final String REVOKED = "revoked";

	/** exc_message of a task that passed its expiry. */
	static final String EXPIRED = "expired";

	/** exc_message of a task revoked with terminate while running. */
	static final String TERMINATED = "terminated";

	/** Reason observers get for a retry without a cause. */
	static final ExceptionInfo NO_RETRY_REASON = new ExceptionInfo("Retry", List.of(), "celery.exceptions");

	private TaskResults() {
	}

	static TaskMeta success(TaskHeaders headers, @Nullable Object result) {
		return record(headers, TaskState.SUCCESS, result, null, true);
	}

	static TaskMeta failure(TaskHeaders headers, ExceptionInfo exception, @Nullable String traceback) {
		return record(headers, TaskState.FAILURE, exception.toMap(), traceback, true);
	}

	static TaskMeta retry(TaskHeaders headers, @Nullable ExceptionInfo reason, String traceback) {
		// Celery lists the retry (same id) as a child of the run that sent it.
		TaskMeta meta = record(headers, TaskState.RETRY, (reason != null) ? reason.toMap() : null, traceback, false);
		List<Object> child = Arrays.asList(Arrays.asList(headers.id(), null), null);
		return new TaskMeta(meta.taskId(), meta.status(), meta.result(), meta.traceback(), List.of(child),
				meta.dateDone(), meta.groupId(), meta.parentId(), meta.name(), meta.args(), meta.kwargs(),
				meta.worker(), meta.retries(), meta.queue());
	}

	/**
	 * Celery's {@code WorkerLostError}: the task's worker stopped while it ran.
	 * @param nodeName the worker's node name
	 * @return the exception record
	 */
	static ExceptionInfo workerLost(String nodeName) {
		return new ExceptionInfo("WorkerLostError",
				List.of("Worker " + nodeName + " stopped while the task ran: interrupted after the shutdown timeout"),
				"billiard.exceptions");
	}

	static TaskMeta started(TaskHeaders headers, long pid, String hostname) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("pid", pid);
		result.put("hostname", hostname);
		return record(headers, TaskState.STARTED, result, null, false);
	}

	static TaskMeta revoked(TaskHeaders headers, String reason) {
		ExceptionInfo exception = new ExceptionInfo("TaskRevokedError", List.of(reason), "celery.exceptions");
		return record(headers, TaskState.REVOKED, exception.toMap(), null, true);
	}

	static TaskMeta notRegistered(TaskHeaders headers) {
		ExceptionInfo exception = new ExceptionInfo("NotRegistered", List.of(headers.task()), "celery.exceptions");
		return record(headers, TaskState.FAILURE, exception.toMap(), null, true);
	}

	private static TaskMeta record(TaskHeaders headers, String status, @Nullable Object result,
			@Nullable String traceback, boolean ready) {
		String dateDone = ready ? CeleryDates.formatNaiveUtc(Instant.now()) : null;
		return new TaskMeta(headers.id(), status, result, traceback, List.of(), dateDone, headers.group(),
				headers.parentId(), null, null, null, null, null, null);
	}

}
