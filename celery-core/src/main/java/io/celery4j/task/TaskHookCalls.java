package io.celery4j.task;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a task's {@link TaskHooks} after its outcome, as Celery's trace calls
 * {@code on_success}, {@code on_failure}, {@code on_retry} and {@code after_return} (not
 * after a retry). A hook that throws is logged on one line and changes nothing. Used by
 * the worker and by eager runs alike, so both call the same hooks in the same order.
 */
public final class TaskHookCalls {

	private static final Logger logger = LoggerFactory.getLogger(TaskHookCalls.class);

	private static final String SUCCESS = "SUCCESS";

	private static final String RETRY = "RETRY";

	private TaskHookCalls() {
	}

	/**
	 * Call the hooks of the task a context runs for, application-wide ones first.
	 * @param context the request, whose options hold the hooks
	 * @param state the state of the outcome: {@code SUCCESS}, {@code FAILURE} or
	 * {@code RETRY}
	 * @param result the result as stored (the return value or the exception record)
	 * @param exception what the task threw: the {@link RetryException} of a retry, else
	 * the exception of a failure; {@code null} after a success
	 */
	public static void afterOutcome(TaskContext context, String state, @Nullable Object result,
			@Nullable Throwable exception) {
		for (TaskHooks hooks : context.getOptions().hooks()) {
			if (SUCCESS.equals(state)) {
				call(context, hooks, "onSuccess", (h) -> h.onSuccess(result, context));
			}
			else if (RETRY.equals(state)) {
				Throwable cause = (exception != null) ? exception.getCause() : null;
				call(context, hooks, "onRetry", (h) -> h.onRetry(cause, context));
				continue;
			}
			else if (exception != null) {
				call(context, hooks, "onFailure", (h) -> h.onFailure(exception, context));
			}
			call(context, hooks, "afterReturn", (h) -> h.afterReturn(state, result, context));
		}
	}

	private static void call(TaskContext context, TaskHooks hooks, String method, Consumer<TaskHooks> call) {
		try {
			call.accept(hooks);
		}
		catch (RuntimeException | LinkageError ex) {
			logger.error("Task {}[{}] hook {}#{} raised {}; the task's state stays as stored", context.getTaskName(),
					context.getId(), hooks.getClass().getSimpleName(), method, PythonExceptions.repr(ex));
		}
	}

}
