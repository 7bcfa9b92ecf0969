package io.celery4j.backend;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Result records for tests, in the shapes a worker stores them.
 */
public final class TaskMetas {

	private TaskMetas() {
	}

	public static TaskMeta success(String taskId, @Nullable Object result) {
		return of(taskId, TaskState.SUCCESS, result, null, "2026-11-24T22:00:21.881326");
	}

	public static TaskMeta failure(String taskId, String type, String message) {
		ExceptionInfo exception = new ExceptionInfo(type, List.of(message), "builtins");
		return of(taskId, TaskState.FAILURE, exception.toMap(),
				"Traceback (most recent call last):\n" + type + ": " + message + "\n", "2026-11-24T22:00:21.902784");
	}

	public static TaskMeta started(String taskId) {
		return of(taskId, TaskState.STARTED, java.util.Map.of("pid", 1, "hostname", "celery@test"), null, null);
	}

	public static TaskMeta of(String taskId, String status, @Nullable Object result, @Nullable String traceback,
			@Nullable String dateDone) {
		return new TaskMeta(taskId, status, result, traceback, List.of(), dateDone, null, null, null, null, null, null,
				null, null);
	}

}
