package io.celery4j.task;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How a task retries: its limit, the delay of a plain retry and automatic retries.
 * Counterpart of the Celery task attributes {@code max_retries},
 * {@code default_retry_delay}, {@code autoretry_for}, {@code retry_backoff},
 * {@code retry_backoff_max} and {@code retry_jitter}.
 *
 * @param maxRetries how many times the task may be retried, {@code null} for no limit
 * @param defaultRetryDelay delay of a retry that sets neither countdown nor eta
 * @param autoretryFor exceptions that retry the task automatically
 * @param retryBackoff factor of the exponential backoff of automatic retries
 * ({@code factor * 2^retries}), {@link Duration#ZERO} to retry after the default delay
 * @param retryBackoffMax upper bound of the backoff
 * @param retryJitter whether the backoff is drawn at random between zero and its value
 */
public record RetryPolicy(@Nullable Integer maxRetries, Duration defaultRetryDelay,
		List<Class<? extends Throwable>> autoretryFor, Duration retryBackoff, Duration retryBackoffMax,
		boolean retryJitter) {

	/** Celery's default {@code max_retries}. */
	public static final int DEFAULT_MAX_RETRIES = 3;

	/** Celery's default {@code default_retry_delay}. */
	public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(180);

	/** Celery's default {@code retry_backoff_max}. */
	public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(600);

	public RetryPolicy {
		Assert.isTrue(maxRetries == null || maxRetries >= 0,
				() -> "'maxRetries' must be >= 0 or null, got " + maxRetries);
		Assert.notNull(defaultRetryDelay, "'defaultRetryDelay' must not be null");
		Assert.notNull(retryBackoff, "'retryBackoff' must not be null");
		Assert.notNull(retryBackoffMax, "'retryBackoffMax' must not be null");
		autoretryFor = List.copyOf(autoretryFor);
	}

	/**
	 * Return Celery's defaults: 3 retries, 180 s delay, no automatic retries, backoff up
	 * to 600 s with jitter once enabled.
	 * @return the defaults
	 */
	public static RetryPolicy defaults() {
		return new RetryPolicy(DEFAULT_MAX_RETRIES, DEFAULT_RETRY_DELAY, List.of(), Duration.ZERO,
				DEFAULT_RETRY_BACKOFF_MAX, true);
	}

	/**
	 * Return whether an exception retries the task automatically.
	 * @param exception what the task threw
	 * @return whether it is an instance of one of {@link #autoretryFor()}
	 */
	public boolean retriesAutomatically(Throwable exception) {
		return this.autoretryFor.stream().anyMatch((type) -> type.isInstance(exception));
	}

}
