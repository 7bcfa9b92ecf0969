package io.celery4j.client;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Options for sending one task, Celery's {@code apply_async} options. Immutable: each
 * {@code with} method returns a copy.
 *
 * <pre class="code">
 * client.send("tasks.add", List.of(2, 3), Map.of(),
 *         SendOptions.defaults().queue("math").countdown(Duration.ofSeconds(10)));
 * </pre>
 *
 * @param taskId the task id to use instead of a new UUID
 * @param queue the queue to send to, else the task's route
 * @param priority 0 to 9
 * @param countdown run no earlier than this long from now
 * @param eta run no earlier than this instant
 * @param expiresIn expire this long after sending
 * @param expiresAt expire at this instant
 * @param ignoreResult ask the worker not to store a result
 * @param parentId the task that sends this one
 * @param rootId the first task of the workflow
 * @param timeLimit hard time limit for this call, else the task's own (Celery's
 * {@code time_limit})
 * @param softTimeLimit soft time limit for this call, else the task's own (Celery's
 * {@code soft_time_limit})
 */
public record SendOptions(@Nullable String taskId, @Nullable String queue, @Nullable Integer priority,
		@Nullable Duration countdown, @Nullable Instant eta, @Nullable Duration expiresIn, @Nullable Instant expiresAt,
		boolean ignoreResult, @Nullable String parentId, @Nullable String rootId, @Nullable Duration timeLimit,
		@Nullable Duration softTimeLimit) {

	private static final SendOptions DEFAULTS = new SendOptions(null, null, null, null, null, null, null, false, null,
			null, null, null);

	public SendOptions {
		Assert.isTrue(priority == null || (priority >= 0 && priority <= 9),
				() -> "priority must be between 0 and 9, got " + priority);
		Assert.isTrue(countdown == null || eta == null, "Set countdown or eta, not both");
		Assert.isTrue(expiresIn == null || expiresAt == null, "Set expiresIn or expiresAt, not both");
		assertPositive("timeLimit", timeLimit);
		assertPositive("softTimeLimit", softTimeLimit);
	}

	private static void assertPositive(String option, @Nullable Duration limit) {
		Assert.isTrue(limit == null || !(limit.isNegative() || limit.isZero()), () -> "SendOptions " + option
				+ " must be a positive duration, got " + limit + "; leave it unset for the task's own limit");
	}

	/**
	 * Return options that set nothing.
	 * @return the defaults
	 */
	public static SendOptions defaults() {
		return DEFAULTS;
	}

	public SendOptions taskId(String taskId) {
		return new SendOptions(taskId, this.queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, this.parentId, this.rootId, this.timeLimit, this.softTimeLimit);
	}

	public SendOptions queue(String queue) {
		return new SendOptions(this.taskId, queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, this.parentId, this.rootId, this.timeLimit, this.softTimeLimit);
	}

	public SendOptions priority(int priority) {
		return new SendOptions(this.taskId, this.queue, priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, this.parentId, this.rootId, this.timeLimit, this.softTimeLimit);
	}

	public SendOptions countdown(Duration countdown) {
		return new SendOptions(this.taskId, this.queue, this.priority, countdown, null, this.expiresIn, this.expiresAt,
				this.ignoreResult, this.parentId, this.rootId, this.timeLimit, this.softTimeLimit);
	}

	public SendOptions eta(Instant eta) {
		return new SendOptions(this.taskId, this.queue, this.priority, null, eta, this.expiresIn, this.expiresAt,
				this.ignoreResult, this.parentId, this.rootId, this.timeLimit, this.softTimeLimit);
	}

	public SendOptions expires(Duration expiresIn) {
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, expiresIn, null,
				this.ignoreResult, this.parentId, this.rootId, this.timeLimit, this.softTimeLimit);
	}

	public SendOptions expires(Instant expiresAt) {
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, null, expiresAt,
				this.ignoreResult, this.parentId, this.rootId, this.timeLimit, this.softTimeLimit);
	}

	public SendOptions ignoreResult(boolean ignoreResult) {
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, ignoreResult, this.parentId, this.rootId, this.timeLimit, this.softTimeLimit);
	}

	public SendOptions parent(String parentId, String rootId) {
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, parentId, rootId, this.timeLimit, this.softTimeLimit);
	}

	/**
	 * Set the hard time limit of this call, Celery's {@code apply_async(time_limit=...)}:
	 * the worker ends the task after it and stores {@code TimeLimitExceeded}. Overrides
	 * the task's own {@code time-limit}; sent in the message's {@code timelimit} header.
	 * @param timeLimit a positive duration
	 * @return a copy with the limit
	 */
	public SendOptions timeLimit(Duration timeLimit) {
		Assert.notNull(timeLimit, "'timeLimit' must not be null");
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, this.parentId, this.rootId, timeLimit, this.softTimeLimit);
	}

	/**
	 * Set the soft time limit of this call, Celery's
	 * {@code apply_async(soft_time_limit=...)}: the worker raises
	 * {@code SoftTimeLimitExceeded} in the task after it. Overrides the task's own
	 * {@code soft-time-limit}; sent in the message's {@code timelimit} header.
	 * @param softTimeLimit a positive duration
	 * @return a copy with the limit
	 */
	public SendOptions softTimeLimit(Duration softTimeLimit) {
		Assert.notNull(softTimeLimit, "'softTimeLimit' must not be null");
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, this.parentId, this.rootId, this.timeLimit, softTimeLimit);
	}

	/**
	 * Return a time limit as Celery writes it in the {@code timelimit} header: whole
	 * seconds as an integer ({@code 10}), anything finer as a float ({@code 0.5}).
	 * @param limit the limit
	 * @return the seconds, or {@code null} for none
	 */
	static @Nullable Number seconds(@Nullable Duration limit) {
		if (limit == null) {
			return null;
		}
		return (limit.getNano() == 0) ? (Number) limit.getSeconds() : (Number) (limit.toNanos() / 1e9);
	}

	/**
	 * Return the instant the task should run no earlier than.
	 * @param now the current time
	 * @return the eta, or {@code null} to run at once
	 */
	public @Nullable Instant etaFrom(Instant now) {
		return (this.countdown != null) ? now.plus(this.countdown) : this.eta;
	}

	/**
	 * Return the instant after which the task should not run.
	 * @param now the current time
	 * @return the expiry, or {@code null} for none
	 */
	public @Nullable Instant expiresFrom(Instant now) {
		return (this.expiresIn != null) ? now.plus(this.expiresIn) : this.expiresAt;
	}

}
