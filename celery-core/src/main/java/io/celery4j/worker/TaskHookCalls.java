package io.celery4j.worker;

import io.celery4j.backend.TaskMeta;
import io.celery4j.task.TaskContext;
import org.jspecify.annotations.Nullable;

/**
 * Calls a task's hooks after its outcome was stored, through
 * {@link io.celery4j.task.TaskHookCalls}, which eager runs use too.
 */
final class TaskHookCalls {

	private TaskHookCalls() {
	}

	static void afterOutcome(TaskRequest request, TaskContext context, @Nullable Throwable exception, TaskMeta meta) {
		io.celery4j.task.TaskHookCalls.afterOutcome(context, meta.status(), meta.result(), exception);
	}

}
