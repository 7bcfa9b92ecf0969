package io.celery4j.beat;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Runs one period after the last run, like Celery's {@code schedule(run_every)} but
 * counted from when each run was due rather than when it was sent, so runs do not drift.
 * The first run comes one period after beat first sees the entry (as in Celery), or after
 * the initial delay when one is set.
 */
public final class FixedRateSchedule implements Schedule {

	private final Duration rate;

	private final @Nullable Duration initialDelay;

	/**
	 * Create a schedule whose first run comes one period after beat first sees it.
	 * @param rate the period, positive
	 */
	public FixedRateSchedule(Duration rate) {
		this(rate, null);
	}

	/**
	 * Create a schedule.
	 * @param rate the period, positive
	 * @param initialDelay delay before the first run, or {@code null} for one period
	 */
	public FixedRateSchedule(Duration rate, @Nullable Duration initialDelay) {
		Assert.notNull(rate, "'rate' must not be null");
		Assert.isTrue(!rate.isNegative() && !rate.isZero(), () -> "'rate' must be positive, got " + rate);
		Assert.isTrue(initialDelay == null || !initialDelay.isNegative(),
				() -> "'initialDelay' must not be negative, got " + initialDelay);
		this.rate = rate;
		this.initialDelay = initialDelay;
	}

	@Override
	public Instant nextRun(Instant lastRun) {
		return lastRun.plus(this.rate);
	}

	@Override
	public Instant initialLastRun(Instant start) {
		return (this.initialDelay != null) ? start.plus(this.initialDelay).minus(this.rate) : start;
	}

	/**
	 * Return the period.
	 * @return the period between runs
	 */
	public Duration getRate() {
		return this.rate;
	}

	/**
	 * Return the delay before the first run.
	 * @return the initial delay, or {@code null} for one period
	 */
	public @Nullable Duration getInitialDelay() {
		return this.initialDelay;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof FixedRateSchedule that) && this.rate.equals(that.rate)
				&& Objects.equals(this.initialDelay, that.initialDelay);
	}

	@Override
	public int hashCode() {
		return this.rate.hashCode();
	}

	@Override
	public String toString() {
		return "every " + this.rate.toString().substring(2).toLowerCase(Locale.ROOT);
	}

}
