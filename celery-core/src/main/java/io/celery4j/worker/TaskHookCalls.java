package io.celery4j.worker;

import java.util.function.Consumer;

import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.task.PythonExceptions;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskHooks;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a task's {@link TaskHooks} after its outcome was stored, as Celery's trace calls
 * {@code on_success}, {@code on_failure}, {@code on_retry} and {@code after_return} (not
 * after a retry). A hook that throws is logged and changes nothing.
 */
final class TaskHookCalls {

	private static final Logger logger = LoggerFactory.getLogger(TaskHookCalls.class);

	private TaskHookCalls() {
	}

	static void afterOutcome(TaskRequest request, TaskContext context, @Nullable Throwable exception, TaskMeta meta) {
		for (TaskHooks hooks : request.getTask().options().hooks()) {
			String state = meta.status();
			if (TaskState.SUCCESS.equals(state)) {
				call(request, hooks, "onSuccess", (h) -> h.onSuccess(meta.result(), context));
			}
			else if (TaskState.RETRY.equals(state)) {
				Throwable cause = (exception != null) ? exception.getCause() : null;
				call(request, hooks, "onRetry", (h) -> h.onRetry(cause, context));
				continue;
			}
			else if (exception != null) {
				call(request, hooks, "onFailure", (h) -> h.onFailure(exception, context));
			}
			call(request, hooks, "afterReturn", (h) -> h.afterReturn(state, meta.result(), context));
		}
	}

	private static void call(TaskRequest request, TaskHooks hooks, String method, Consumer<TaskHooks> call) {
		try {
			call.accept(hooks);
		}
		catch (RuntimeException | LinkageError ex) {
			logger.error("Task {} hook {}#{} raised {}; the task's state stays as stored", request,
					hooks.getClass().getSimpleName(), method, PythonExceptions.repr(ex));
		}
	}

}
