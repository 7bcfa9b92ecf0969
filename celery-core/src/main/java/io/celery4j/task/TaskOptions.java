package io.celery4j.task;

import java.time.Duration;
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
 * @param rateLimit how often the task may start, {@code null} for no limit (Celery's
 * {@code rate_limit})
 * @param timeLimit hard time limit, {@code null} for none (Celery's {@code time_limit})
 * @param softTimeLimit soft time limit, {@code null} for none (Celery's
 * {@code soft_time_limit})
 * @param rejectOnWorkerLost whether an acks-late message goes back to the queue when its
 * worker is lost while the task runs (Celery's {@code reject_on_worker_lost})
 * @param retry how the task retries
 * @param trackStarted whether the worker stores STARTED before running the task (Celery's
 * {@code track_started})
 * @param storeErrorsEvenIfIgnored whether FAILURE and RETRY are stored although results
 * are ignored (Celery's {@code store_errors_even_if_ignored})
 * @param hooks callbacks around each run, application-wide ones first
 */
public record TaskOptions(@Nullable String queue, boolean acksLate, boolean ignoreResult, @Nullable RateLimit rateLimit,
		@Nullable Duration timeLimit, @Nullable Duration softTimeLimit, boolean rejectOnWorkerLost, RetryPolicy retry,
		boolean trackStarted, boolean storeErrorsEvenIfIgnored, List<TaskHooks> hooks) {

	public TaskOptions {
		Assert.isTrue(timeLimit == null || !(timeLimit.isNegative() || timeLimit.isZero()),
				"'timeLimit' must be positive");
		Assert.isTrue(softTimeLimit == null || !(softTimeLimit.isNegative() || softTimeLimit.isZero()),
				"'softTimeLimit' must be positive");
		Assert.notNull(retry, "'retry' must not be null");
		hooks = List.copyOf(hooks);
	}

	/**
	 * Create options without rate limit, time limits or reject-on-worker-lost, with
	 * Celery's defaults for retries, no STARTED records and no hooks.
	 * @param queue queue the client sends the task to, {@code null} for the default queue
	 * @param acksLate whether the worker acknowledges after the task ran
	 * @param ignoreResult whether no result is stored
	 */
	public TaskOptions(@Nullable String queue, boolean acksLate, boolean ignoreResult) {
		this(queue, acksLate, ignoreResult, null, null, null, false, RetryPolicy.defaults(), false, false, List.of());
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
				this.softTimeLimit, this.rejectOnWorkerLost, this.retry, this.trackStarted,
				this.storeErrorsEvenIfIgnored, this.hooks);
	}

	/**
	 * Return a copy with other time limits.
	 * @param timeLimit hard time limit, {@code null} for none
	 * @param softTimeLimit soft time limit, {@code null} for none
	 * @return the copy
	 */
	public TaskOptions withTimeLimits(@Nullable Duration timeLimit, @Nullable Duration softTimeLimit) {
		return new TaskOptions(this.queue, this.acksLate, this.ignoreResult, this.rateLimit, timeLimit, softTimeLimit,
				this.rejectOnWorkerLost, this.retry, this.trackStarted, this.storeErrorsEvenIfIgnored, this.hooks);
	}

	/**
	 * Return a copy with another reject-on-worker-lost setting.
	 * @param rejectOnWorkerLost whether an acks-late message goes back to the queue when
	 * its worker is lost
	 * @return the copy
	 */
	public TaskOptions withRejectOnWorkerLost(boolean rejectOnWorkerLost) {
		return new TaskOptions(this.queue, this.acksLate, this.ignoreResult, this.rateLimit, this.timeLimit,
				this.softTimeLimit, rejectOnWorkerLost, this.retry, this.trackStarted, this.storeErrorsEvenIfIgnored,
				this.hooks);
	}

	/**
	 * Return a copy with another retry policy.
	 * @param retry how the task retries
	 * @return the copy
	 */
	public TaskOptions withRetry(RetryPolicy retry) {
		return new TaskOptions(this.queue, this.acksLate, this.ignoreResult, this.rateLimit, this.timeLimit,
				this.softTimeLimit, this.rejectOnWorkerLost, retry, this.trackStarted, this.storeErrorsEvenIfIgnored,
				this.hooks);
	}

	/**
	 * Return a copy with other result settings.
	 * @param trackStarted whether STARTED is stored before the task runs
	 * @param storeErrorsEvenIfIgnored whether FAILURE and RETRY are stored although
	 * results are ignored
	 * @return the copy
	 */
	public TaskOptions withResults(boolean trackStarted, boolean storeErrorsEvenIfIgnored) {
		return new TaskOptions(this.queue, this.acksLate, this.ignoreResult, this.rateLimit, this.timeLimit,
				this.softTimeLimit, this.rejectOnWorkerLost, this.retry, trackStarted, storeErrorsEvenIfIgnored,
				this.hooks);
	}

	/**
	 * Return a copy with other hooks.
	 * @param hooks callbacks around each run, in call order
	 * @return the copy
	 */
	public TaskOptions withHooks(List<TaskHooks> hooks) {
		return new TaskOptions(this.queue, this.acksLate, this.ignoreResult, this.rateLimit, this.timeLimit,
				this.softTimeLimit, this.rejectOnWorkerLost, this.retry, this.trackStarted,
				this.storeErrorsEvenIfIgnored, hooks);
	}

}
