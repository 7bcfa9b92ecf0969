package io.celery4j.task;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How often a task may start, written in Celery's syntax: {@code "10/s"},
 * {@code "500/m"}, {@code "100/h"}, or a plain number of tasks per second
 * ({@code "2.5"}). Counterpart of Celery's {@code celery.utils.time.rate}.
 *
 * @param expression the limit as written, for messages
 * @param perSecond tasks per second, positive
 * @param scope whether the limit applies per worker (as in Celery) or to all workers
 * together
 */
public record RateLimit(String expression, double perSecond, Scope scope) {

	public RateLimit {
		Assert.hasText(expression, "'expression' must not be empty");
		Assert.isTrue(perSecond > 0 && Double.isFinite(perSecond), "'perSecond' must be positive");
		Assert.notNull(scope, "'scope' must not be null");
	}

	/**
	 * Parse a limit in Celery's syntax. Empty text and Celery's "no limit" values
	 * ({@code "0"}, {@code "0/s"}) give {@code null}.
	 * @param expression the text, for example {@code "10/s"}
	 * @param scope the scope of the limit
	 * @return the limit, or {@code null} for none
	 * @throws IllegalArgumentException if the text is not a rate; the message says what
	 * is accepted
	 */
	public static @Nullable RateLimit parse(@Nullable String expression, Scope scope) {
		if (expression == null || expression.isBlank()) {
			return null;
		}
		String text = expression.trim();
		int slash = text.indexOf('/');
		String count = (slash >= 0) ? text.substring(0, slash).trim() : text;
		String unit = (slash >= 0) ? text.substring(slash + 1).trim().toLowerCase(Locale.ROOT) : "s";
		double number;
		try {
			number = Double.parseDouble(count);
		}
		catch (NumberFormatException ex) {
			throw invalid(text);
		}
		if (number < 0 || !Double.isFinite(number) || unit.isEmpty()) {
			throw invalid(text);
		}
		// Like Celery, only the first letter of the unit counts: "10/sec" is "10/s".
		double seconds = switch (unit.charAt(0)) {
			case 's' -> 1;
			case 'm' -> 60;
			case 'h' -> 3600;
			default -> throw invalid(text);
		};
		if (number == 0) {
			return null;
		}
		return new RateLimit(text, number / seconds, scope);
	}

	private static IllegalArgumentException invalid(String text) {
		return new IllegalArgumentException("'" + text
				+ "' is not a rate limit; expected '<n>/s', '<n>/m', '<n>/h' or a number of tasks per second, for example '10/s' or '500/m'");
	}

	/**
	 * Where a limit is counted.
	 */
	public enum Scope {

		/**
		 * Each worker counts on its own, as in Celery: n workers run up to n times the
		 * rate together.
		 */
		WORKER,

		/**
		 * All workers on the same Redis broker share one token bucket per task. Celery
		 * has no equivalent.
		 */
		GLOBAL

	}

}
