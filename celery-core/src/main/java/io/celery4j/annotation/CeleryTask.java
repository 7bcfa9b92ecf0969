package io.celery4j.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a bean method as a Celery task, like Celery's {@code @app.task}. The method's
 * parameters bind from the message's args (by position) and kwargs (by parameter name);
 * its return value becomes the JSON result.
 *
 * <pre class="code">
 * &#64;CeleryTask(name = "tasks.add")
 * public int add(int x, int y) {
 *     return x + y;
 * }
 * </pre>
 *
 * Options left at their defaults take the {@code celery.task.*} properties.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CeleryTask {

	/**
	 * Task name; defaults to {@code <bean name>.<method name>}. Supports property
	 * placeholders.
	 * @return the task name
	 */
	String name() default "";

	/**
	 * Queue the client sends this task to when no route or option says otherwise. Empty
	 * means {@code celery.task.default-queue}.
	 * @return the queue
	 */
	String queue() default "";

	/**
	 * Whether to acknowledge the message after the task ran instead of before. Empty
	 * means {@code celery.task.acks-late}; otherwise {@code "true"} or {@code "false"}.
	 * @return the acks-late setting
	 */
	String acksLate() default "";

	/**
	 * Whether to store no result. Empty means {@code celery.task.ignore-result}.
	 * @return the ignore-result setting
	 */
	String ignoreResult() default "";

	/**
	 * How often this task may start, in Celery's syntax: {@code "10/s"}, {@code "500/m"},
	 * {@code "100/h"} or a number of tasks per second. Empty means
	 * {@code celery.task.default-rate-limit}. Counted per worker, as in Celery, unless
	 * {@link #rateLimitScope()} is {@code "global"}. Supports property placeholders.
	 * @return the rate limit
	 */
	String rateLimit() default "";

	/**
	 * Where {@link #rateLimit()} is counted: {@code "worker"} (each worker on its own, as
	 * in Celery) or {@code "global"} (one token bucket in Redis shared by all workers;
	 * Celery has no equivalent). Empty means {@code "worker"}. Supports property
	 * placeholders.
	 * @return the rate limit scope
	 */
	String rateLimitScope() default "";

	/**
	 * Hard time limit in seconds: the task is stopped and fails with
	 * {@code TimeLimitExceeded}. Empty means {@code celery.task.time-limit}. Supports
	 * property placeholders.
	 * @return the time limit in seconds
	 */
	String timeLimit() default "";

	/**
	 * Soft time limit in seconds: the task is interrupted and
	 * {@code SoftTimeLimitExceededException} is raised in it, which it may catch. Empty
	 * means {@code celery.task.soft-time-limit}. Supports property placeholders.
	 * @return the soft time limit in seconds
	 */
	String softTimeLimit() default "";

	/**
	 * Whether an acks-late message goes back to the queue when the worker is lost while
	 * the task runs. Empty means {@code celery.task.reject-on-worker-lost}.
	 * @return the reject-on-worker-lost setting
	 */
	String rejectOnWorkerLost() default "";

	/**
	 * How many times the task may be retried; {@code "-1"} or {@code "none"} for no
	 * limit. Empty means {@code celery.task.max-retries}. Same as Celery's
	 * {@code max_retries}.
	 * @return the retry limit
	 */
	String maxRetries() default "";

	/**
	 * Delay in seconds of a retry that sets neither countdown nor eta. Empty means
	 * {@code celery.task.default-retry-delay}. Same as Celery's
	 * {@code default_retry_delay}.
	 * @return the delay in seconds
	 */
	String defaultRetryDelay() default "";

	/**
	 * Exceptions that retry the task automatically (with the cause recorded). Same as
	 * Celery's {@code autoretry_for}.
	 * @return the exception types
	 */
	Class<? extends Throwable>[] autoretryFor() default {};

	/**
	 * Exponential backoff of automatic retries: {@code "true"} (factor 1 s), a factor in
	 * seconds, or {@code "false"}. Empty means {@code celery.task.retry-backoff}. Same as
	 * Celery's {@code retry_backoff}.
	 * @return the backoff setting
	 */
	String retryBackoff() default "";

	/**
	 * Upper bound in seconds of the backoff. Empty means
	 * {@code celery.task.retry-backoff-max}. Same as Celery's {@code retry_backoff_max}.
	 * @return the bound in seconds
	 */
	String retryBackoffMax() default "";

	/**
	 * Whether the backoff is drawn at random up to its value. Empty means
	 * {@code celery.task.retry-jitter}. Same as Celery's {@code retry_jitter}.
	 * @return the jitter setting
	 */
	String retryJitter() default "";

	/**
	 * Whether the worker stores STARTED before running the task. Empty means
	 * {@code celery.task.track-started}. Same as Celery's {@code track_started}.
	 * @return the track-started setting
	 */
	String trackStarted() default "";

	/**
	 * Whether FAILURE and RETRY are stored although the result is ignored. Empty means
	 * {@code celery.task.store-errors-even-if-ignored}. Same as Celery's
	 * {@code store_errors_even_if_ignored}.
	 * @return the setting
	 */
	String storeErrorsEvenIfIgnored() default "";

	/**
	 * Hooks class ({@code io.celery4j.task.TaskHooks}) called around each run, like a
	 * Celery task {@code base} class: the bean of that type when the application has one,
	 * else a new instance made with its no-arg constructor. {@code void.class} means
	 * none.
	 * @return the hooks class
	 */
	Class<?> base() default void.class;

}
