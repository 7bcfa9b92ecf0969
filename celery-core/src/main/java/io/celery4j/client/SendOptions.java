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
 */
public record SendOptions(@Nullable String taskId, @Nullable String queue, @Nullable Integer priority,
		@Nullable Duration countdown, @Nullable Instant eta, @Nullable Duration expiresIn, @Nullable Instant expiresAt,
		boolean ignoreResult, @Nullable String parentId, @Nullable String rootId) {

	private static final SendOptions DEFAULTS = new SendOptions(null, null, null, null, null, null, null, false, null,
			null);

	public SendOptions {
		Assert.isTrue(priority == null || (priority >= 0 && priority <= 9),
				() -> "priority must be between 0 and 9, got " + priority);
		Assert.isTrue(countdown == null || eta == null, "Set countdown or eta, not both");
		Assert.isTrue(expiresIn == null || expiresAt == null, "Set expiresIn or expiresAt, not both");
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
				this.expiresAt, this.ignoreResult, this.parentId, this.rootId);
	}

	public SendOptions queue(String queue) {
		return new SendOptions(this.taskId, queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, this.parentId, this.rootId);
	}

	public SendOptions priority(int priority) {
		return new SendOptions(this.taskId, this.queue, priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, this.parentId, this.rootId);
	}

	public SendOptions countdown(Duration countdown) {
		return new SendOptions(this.taskId, this.queue, this.priority, countdown, null, this.expiresIn, this.expiresAt,
				this.ignoreResult, this.parentId, this.rootId);
	}

	public SendOptions eta(Instant eta) {
		return new SendOptions(this.taskId, this.queue, this.priority, null, eta, this.expiresIn, this.expiresAt,
				this.ignoreResult, this.parentId, this.rootId);
	}

	public SendOptions expires(Duration expiresIn) {
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, expiresIn, null,
				this.ignoreResult, this.parentId, this.rootId);
	}

	public SendOptions expires(Instant expiresAt) {
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, null, expiresAt,
				this.ignoreResult, this.parentId, this.rootId);
	}

	public SendOptions ignoreResult(boolean ignoreResult) {
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, ignoreResult, this.parentId, this.rootId);
	}

	public SendOptions parent(String parentId, String rootId) {
		return new SendOptions(this.taskId, this.queue, this.priority, this.countdown, this.eta, this.expiresIn,
				this.expiresAt, this.ignoreResult, parentId, rootId);
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
