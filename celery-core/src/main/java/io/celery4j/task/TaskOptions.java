package io.celery4j.task;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Options of one task, resolved from its annotation and the {@code celery.task.*}
 * defaults. Counterpart of the attributes of Celery's {@code Task} class.
 *
 * @param queue queue the client sends the task to, {@code null} for the default queue
 * @param acksLate whether the worker acknowledges after the task ran
 * @param ignoreResult whether no result is stored
 * @param retry how the task retries
 * @param trackStarted whether the worker stores STARTED before running the task
 * @param storeErrorsEvenIfIgnored whether FAILURE and RETRY are stored although results
 * are ignored
 * @param hooks callbacks around each run, application-wide ones first
 */
public record TaskOptions(@Nullable String queue, boolean acksLate, boolean ignoreResult, RetryPolicy retry,
		boolean trackStarted, boolean storeErrorsEvenIfIgnored, List<TaskHooks> hooks) {

	public TaskOptions {
		Assert.notNull(retry, "'retry' must not be null");
		hooks = List.copyOf(hooks);
	}

	/**
	 * Create options with Celery's defaults for retries, no STARTED records and no hooks.
	 * @param queue queue the client sends the task to, {@code null} for the default queue
	 * @param acksLate whether the worker acknowledges after the task ran
	 * @param ignoreResult whether no result is stored
	 */
	public TaskOptions(@Nullable String queue, boolean acksLate, boolean ignoreResult) {
		this(queue, acksLate, ignoreResult, RetryPolicy.defaults(), false, false, List.of());
	}

	/**
	 * Return the options of a task that sets nothing itself.
	 * @return default options
	 */
	public static TaskOptions defaults() {
		return new TaskOptions(null, false, false);
	}

}
