package io.celery4j.task;

import org.jspecify.annotations.Nullable;

/**
 * Options of one task, resolved from its annotation and the {@code celery.task.*}
 * defaults. Counterpart of the attributes of Celery's {@code Task} class.
 *
 * @param queue queue the client sends the task to, {@code null} for the default queue
 * @param acksLate whether the worker acknowledges after the task ran
 * @param ignoreResult whether no result is stored
 */
public record TaskOptions(@Nullable String queue, boolean acksLate, boolean ignoreResult) {

	/**
	 * Return the options of a task that sets nothing itself.
	 * @return default options
	 */
	public static TaskOptions defaults() {
		return new TaskOptions(null, false, false);
	}

}
