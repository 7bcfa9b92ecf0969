package io.celery4j.task;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Options of one task, resolved from its annotation and the {@code celery.task.*}
 * defaults. Counterpart of the attributes of Celery's {@code Task} class.
 *
 * @param queue queue the client sends the task to, {@code null} for the default queue
 * @param acksLate whether the worker acknowledges after the task ran
 * @param ignoreResult whether no result is stored
 * @param rateLimit how often the task may start, {@code null} for no limit (Celery's
 * {@code rate_limit})
 * @param timeLimit hard time limit, {@code null} for none (Celery's {@code time_limit})
 * @param softTimeLimit soft time limit, {@code null} for none (Celery's
 * {@code soft_time_limit})
 * @param rejectOnWorkerLost whether an acks-late message goes back to the queue when its
 * worker is lost while the task runs (Celery's {@code reject_on_worker_lost})
 */
public record TaskOptions(@Nullable String queue, boolean acksLate, boolean ignoreResult, @Nullable RateLimit rateLimit,
		@Nullable Duration timeLimit, @Nullable Duration softTimeLimit, boolean rejectOnWorkerLost) {

	public TaskOptions {
		Assert.isTrue(timeLimit == null || !(timeLimit.isNegative() || timeLimit.isZero()),
				"'timeLimit' must be positive");
		Assert.isTrue(softTimeLimit == null || !(softTimeLimit.isNegative() || softTimeLimit.isZero()),
				"'softTimeLimit' must be positive");
	}

	/**
	 * Create options without rate limit, time limits or reject-on-worker-lost.
	 * @param queue queue the client sends the task to, {@code null} for the default queue
	 * @param acksLate whether the worker acknowledges after the task ran
	 * @param ignoreResult whether no result is stored
	 */
	public TaskOptions(@Nullable String queue, boolean acksLate, boolean ignoreResult) {
		this(queue, acksLate, ignoreResult, null, null, null, false);
	}

	/**
	 * Return the options of a task that sets nothing itself.
	 * @return default options
	 */
	public static TaskOptions defaults() {
		return new TaskOptions(null, false, false);
	}

	/**
	 * Return a copy with another rate limit.
	 * @param rateLimit the rate limit, {@code null} for none
	 * @return the copy
	 */
	public TaskOptions withRateLimit(@Nullable RateLimit rateLimit) {
		return new TaskOptions(this.queue, this.acksLate, this.ignoreResult, rateLimit, this.timeLimit,
				this.softTimeLimit, this.rejectOnWorkerLost);
	}

	/**
	 * Return a copy with other time limits.
	 * @param timeLimit hard time limit, {@code null} for none
	 * @param softTimeLimit soft time limit, {@code null} for none
	 * @return the copy
	 */
	public TaskOptions withTimeLimits(@Nullable Duration timeLimit, @Nullable Duration softTimeLimit) {
		return new TaskOptions(this.queue, this.acksLate, this.ignoreResult, this.rateLimit, timeLimit, softTimeLimit,
				this.rejectOnWorkerLost);
	}

	/**
	 * Return a copy with another reject-on-worker-lost setting.
	 * @param rejectOnWorkerLost whether an acks-late message goes back to the queue when
	 * its worker is lost
	 * @return the copy
	 */
	public TaskOptions withRejectOnWorkerLost(boolean rejectOnWorkerLost) {
		return new TaskOptions(this.queue, this.acksLate, this.ignoreResult, this.rateLimit, this.timeLimit,
				this.softTimeLimit, rejectOnWorkerLost);
	}

}
