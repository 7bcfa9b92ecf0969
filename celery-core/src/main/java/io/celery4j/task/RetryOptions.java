package io.celery4j.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What one retry changes: when it runs, why, its limit and its arguments. The keyword
 * arguments of Celery's {@code Task.retry(args, kwargs, exc, eta, countdown,
 * max_retries)}. Immutable; each method returns a copy.
 *
 * <pre class="code">
 * throw context.retry(RetryOptions.defaults().countdown(Duration.ofSeconds(5)).exc(ex));
 * </pre>
 */
public final class RetryOptions {

	private static final RetryOptions DEFAULTS = new RetryOptions(null, null, null, null, null, null);

	private final @Nullable Duration countdown;

	private final @Nullable Instant eta;

	private final @Nullable Throwable exc;

	private final @Nullable Integer maxRetries;

	private final @Nullable List<?> args;

	private final @Nullable Map<String, ?> kwargs;

	private RetryOptions(@Nullable Duration countdown, @Nullable Instant eta, @Nullable Throwable exc,
			@Nullable Integer maxRetries, @Nullable List<?> args, @Nullable Map<String, ?> kwargs) {
		this.countdown = countdown;
		this.eta = eta;
		this.exc = exc;
		this.maxRetries = maxRetries;
		this.args = args;
		this.kwargs = kwargs;
	}

	/**
	 * Return options that change nothing: the task's default retry delay, same arguments,
	 * the task's retry limit.
	 * @return the defaults
	 */
	public static RetryOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Run the retry after a delay (Celery's {@code countdown}); clears any eta.
	 * @param countdown the delay, not negative
	 * @return a copy with the countdown
	 */
	public RetryOptions countdown(Duration countdown) {
		Assert.isTrue(countdown != null && !countdown.isNegative(), "'countdown' must not be null or negative");
		return new RetryOptions(countdown, null, this.exc, this.maxRetries, this.args, this.kwargs);
	}

	/**
	 * Run the retry at a time (Celery's {@code eta}); clears any countdown.
	 * @param eta the time
	 * @return a copy with the eta
	 */
	public RetryOptions eta(Instant eta) {
		Assert.notNull(eta, "'eta' must not be null");
		return new RetryOptions(null, eta, this.exc, this.maxRetries, this.args, this.kwargs);
	}

	/**
	 * Record why the task is retried (Celery's {@code exc}): stored as the RETRY result,
	 * and thrown as it is once the retry limit is reached.
	 * @param exc the cause
	 * @return a copy with the cause
	 */
	public RetryOptions exc(Throwable exc) {
		Assert.notNull(exc, "'exc' must not be null");
		return new RetryOptions(this.countdown, this.eta, exc, this.maxRetries, this.args, this.kwargs);
	}

	/**
	 * Override the task's retry limit for this retry (Celery's {@code max_retries}).
	 * @param maxRetries the limit, negative for no limit
	 * @return a copy with the limit
	 */
	public RetryOptions maxRetries(int maxRetries) {
		return new RetryOptions(this.countdown, this.eta, this.exc, maxRetries, this.args, this.kwargs);
	}

	/**
	 * Send the retry with other positional arguments (written as JSON).
	 * @param args the arguments
	 * @return a copy with the arguments
	 */
	public RetryOptions args(List<?> args) {
		Assert.notNull(args, "'args' must not be null");
		return new RetryOptions(this.countdown, this.eta, this.exc, this.maxRetries, args, this.kwargs);
	}

	/**
	 * Send the retry with other keyword arguments (written as JSON).
	 * @param kwargs the arguments
	 * @return a copy with the arguments
	 */
	public RetryOptions kwargs(Map<String, ?> kwargs) {
		Assert.notNull(kwargs, "'kwargs' must not be null");
		return new RetryOptions(this.countdown, this.eta, this.exc, this.maxRetries, this.args, kwargs);
	}

	@Nullable Duration getCountdown() {
		return this.countdown;
	}

	@Nullable Instant getEta() {
		return this.eta;
	}

	@Nullable Throwable getExc() {
		return this.exc;
	}

	@Nullable Integer getMaxRetries() {
		return this.maxRetries;
	}

	@Nullable List<?> getArgs() {
		return this.args;
	}

	@Nullable Map<String, ?> getKwargs() {
		return this.kwargs;
	}

}
