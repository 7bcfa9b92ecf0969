package io.celery4j.task;

import org.jspecify.annotations.Nullable;

/**
 * Callbacks around a task's run, like the handler methods of a Celery task base class
 * ({@code on_success}, {@code on_failure}, {@code on_retry}, {@code after_return}).
 * Declared per task with {@code @CeleryTask(base = RollbackHooks.class)} or for every
 * task as a bean of this type.
 * <p>
 * The worker calls them on the pool thread after the outcome is stored: a hook that
 * throws is logged and never changes the task's state.
 *
 * <pre class="code">
 * public class RollbackHooks implements TaskHooks {
 *
 *     &#64;Override
 *     public void onFailure(Throwable exception, TaskContext context) {
 *         orders.rollback(context.getId());
 *     }
 *
 * }
 * </pre>
 */
public interface TaskHooks {

	/**
	 * Called when the task returned. Counterpart of Celery's {@code Task.on_success}.
	 * @param result the result as stored (JSON value)
	 * @param context the request
	 */
	default void onSuccess(@Nullable Object result, TaskContext context) {
	}

	/**
	 * Called when the task failed. Counterpart of Celery's {@code Task.on_failure}.
	 * @param exception what the task threw
	 * @param context the request
	 */
	default void onFailure(Throwable exception, TaskContext context) {
	}

	/**
	 * Called when the task was retried (its retry message is sent). Counterpart of
	 * Celery's {@code Task.on_retry}.
	 * @param exception the cause given to the retry, or {@code null} when none
	 * @param context the request
	 */
	default void onRetry(@Nullable Throwable exception, TaskContext context) {
	}

	/**
	 * Called after the outcome was handled, whatever it was. Counterpart of Celery's
	 * {@code Task.after_return}.
	 * @param state the state stored: {@code SUCCESS}, {@code FAILURE} or {@code RETRY}
	 * @param result the result, the exception record, or {@code null}
	 * @param context the request
	 */
	default void afterReturn(String state, @Nullable Object result, TaskContext context) {
	}

}
