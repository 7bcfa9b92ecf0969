package io.celery4j.control;

import java.time.Duration;
import java.util.Map;

import io.celery4j.protocol.PythonRepr;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes a task's rate limit or time limits in a worker's registry, as the
 * {@code rate_limit} and {@code time_limit} remote control commands do, answering with
 * Celery's replies ({@code {"ok": ...}} or {@code {"error": ...}}). Requests received
 * from then on see the new values; the worker's rate limiter starts a new token bucket
 * for the task. Counterpart of those commands in {@code celery.worker.control}; the
 * actuator endpoint uses it for the local worker.
 */
public final class TaskLimits {

	private static final Logger logger = LoggerFactory.getLogger(TaskLimits.class);

	private TaskLimits() {
	}

	/**
	 * Set or remove a task's rate limit ({@code celery control rate_limit}).
	 * @param registry the worker's tasks
	 * @param taskName the task name
	 * @param rateLimit the new limit such as {@code 10/s}, {@code 100/m} or a number of
	 * tasks per second; {@code null}, {@code 0} or empty remove the limit
	 * @return {@code {"ok": "new rate limit set successfully"}} (or {@code "rate limit
	 * disabled successfully"}), {@code {"error": "unknown task"}}, or {@code {"error":
	 * "Invalid rate limit string: ..."}}
	 */
	public static Map<String, Object> rateLimit(TaskRegistry registry, String taskName, @Nullable Object rateLimit) {
		String expression = (rateLimit != null) ? rateLimit.toString() : null;
		TaskDefinition task = registry.find(taskName);
		RateLimit limit;
		try {
			// A shared limit stays shared: only the rate changes.
			RateLimit current = (task != null) ? task.options().rateLimit() : null;
			limit = RateLimit.parse(expression, (current != null) ? current.scope() : RateLimit.Scope.WORKER);
		}
		catch (IllegalArgumentException ex) {
			return error("Invalid rate limit string: ValueError(" + PythonRepr.value(ex.getMessage()) + ")");
		}
		if (task == null) {
			logger.error("Rate limit attempt for unknown task {}", taskName);
			return error("unknown task");
		}
		registry.updateOptions(taskName, (options) -> options.withRateLimit(limit));
		if (limit == null) {
			logger.info("Rate limits disabled for tasks of type {}", taskName);
			return ok("rate limit disabled successfully");
		}
		logger.info("New rate limit for tasks of type {}: {}.", taskName, expression);
		return ok("new rate limit set successfully");
	}

	/**
	 * Set a task's time limits ({@code celery control time_limit}).
	 * @param registry the worker's tasks
	 * @param taskName the task name
	 * @param soft the soft limit in seconds (a number), {@code null} for none
	 * @param hard the hard limit in seconds (a number), {@code null} for none
	 * @return {@code {"ok": "time limits set successfully"}} or {@code {"error": "unknown
	 * task"}}
	 * @throws IllegalArgumentException if a limit is not a positive number
	 */
	public static Map<String, Object> timeLimit(TaskRegistry registry, String taskName, @Nullable Object soft,
			@Nullable Object hard) {
		if (registry.find(taskName) == null) {
			logger.error("Change time limit attempt for unknown task {}", taskName);
			return error("unknown task");
		}
		Duration softLimit = seconds(soft, "soft");
		Duration hardLimit = seconds(hard, "hard");
		registry.updateOptions(taskName, (options) -> options.withTimeLimits(hardLimit, softLimit));
		logger.info("New time limits for tasks of type {}: soft={} hard={}", taskName, soft, hard);
		return ok("time limits set successfully");
	}

	private static @Nullable Duration seconds(@Nullable Object value, String name) {
		if (value == null) {
			return null;
		}
		if (!(value instanceof Number number) || number.doubleValue() <= 0) {
			throw new IllegalArgumentException(
					"Argument '" + name + "' must be a positive number of seconds, got " + value);
		}
		return Duration.ofNanos((long) (number.doubleValue() * 1e9));
	}

	private static Map<String, Object> ok(String value) {
		return Map.of("ok", value);
	}

	private static Map<String, Object> error(String value) {
		return Map.of("error", value);
	}

}
