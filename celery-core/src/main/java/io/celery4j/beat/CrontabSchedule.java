package io.celery4j.beat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.celery4j.beat.CrontabParser.Field;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.Assert;

/**
 * Runs at the wall-clock times a cron expression names in a time zone, like Celery's
 * {@code crontab}. Three forms are accepted:
 * <ul>
 * <li>5 fields, {@code minute hour day-of-month month day-of-week}, with Celery's crontab
 * semantics: day of week 0 is Sunday (names {@code sun}-{@code sat}), ranges wrap around
 * ({@code fri-mon}), steps apply to the expanded list, and a day runs only when it
 * matches both day fields (Celery's AND, not Unix cron's OR);</li>
 * <li>6 fields with seconds first, as Spring's {@link CronExpression} (including its
 * {@code L}, {@code W} and {@code #} forms);</li>
 * <li>the macros {@code @yearly} ({@code @annually}), {@code @monthly}, {@code @weekly},
 * {@code @daily} ({@code @midnight}) and {@code @hourly}.</li>
 * </ul>
 * Daylight saving time is handled as Celery beat does in practice: the next run is the
 * first instant after the last run at which the zone's clock shows the next matching time
 * or later. A time the clock skips (a DST gap) therefore runs once, when the clock jumps;
 * a time the clock shows twice (a repeated hour) runs once, the first time.
 */
public final class CrontabSchedule implements Schedule {

	private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
			"@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly",
			"0 * * * *");

	private static final LocalDateTime PROBE = LocalDateTime.of(2000, 1, 1, 0, 0);

	private final String expression;

	private final ZoneId zone;

	private final CronExpression cron;

	private CrontabSchedule(String expression, ZoneId zone, CronExpression cron) {
		this.expression = expression;
		this.zone = zone;
		this.cron = cron;
	}

	/**
	 * Parse a cron expression.
	 * @param expression 5 fields (Celery's crontab), 6 fields (Spring's
	 * {@code CronExpression}) or a macro
	 * @param zone the zone whose wall clock the expression reads
	 * @return the schedule
	 * @throws IllegalArgumentException if the expression is malformed or never matches;
	 * the message quotes it and says what is accepted
	 */
	public static CrontabSchedule parse(String expression, ZoneId zone) {
		Assert.notNull(expression, "'expression' must not be null");
		Assert.notNull(zone, "'zone' must not be null");
		String trimmed = expression.trim();
		if (trimmed.isEmpty()) {
			throw new IllegalArgumentException("Cron expression is empty; expected 5 fields (minute hour day-of-month "
					+ "month day-of-week), 6 fields (second first) or a macro such as @daily");
		}
		CronExpression cron = toSpring(trimmed);
		if (cron.next(PROBE) == null) {
			throw new IllegalArgumentException(
					"Cron expression '" + trimmed + "' never matches a date (for example day 31 of a 30-day month)");
		}
		return new CrontabSchedule(trimmed, zone, cron);
	}

	private static CronExpression toSpring(String expression) {
		String celery = expression.startsWith("@") ? MACROS.get(expression.toLowerCase(Locale.ROOT)) : expression;
		if (celery == null) {
			throw new IllegalArgumentException("Unknown cron macro '" + expression
					+ "'; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
		}
		String[] fields = celery.split("\\s+");
		if (fields.length == 5) {
			return CronExpression.parse(fromCelery(expression, fields));
		}
		if (fields.length == 6) {
			try {
				return CronExpression.parse(celery);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"Invalid cron expression '" + expression + "' (6 fields, Spring's form): " + ex.getMessage(),
						ex);
			}
		}
		throw new IllegalArgumentException("Cron expression '" + expression + "' has " + fields.length
				+ " fields; expected 5 (minute hour day-of-month month day-of-week, as Celery's crontab), 6 (second "
				+ "first, as Spring's CronExpression) or a macro such as @daily");
	}

	private static String fromCelery(String expression, String[] fields) {
		Field[] order = { Field.MINUTE, Field.HOUR, Field.DAY_OF_MONTH, Field.MONTH, Field.DAY_OF_WEEK };
		StringBuilder spring = new StringBuilder("0");
		for (int i = 0; i < order.length; i++) {
			TreeSet<Integer> values;
			try {
				values = CrontabParser.parse(order[i], fields[i]);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Invalid cron expression '" + expression + "': " + ex.getMessage(),
						ex);
			}
			spring.append(' ').append(toSpringField(order[i], values));
		}
		return spring.toString();
	}

	private static String toSpringField(Field field, TreeSet<Integer> values) {
		if (values.size() == field.max() - field.min() + 1) {
			return "*";
		}
		// Spring numbers days of week as Celery does: 0 is Sunday.
		return values.stream().map(String::valueOf).collect(Collectors.joining(","));
	}

	@Override
	public Instant nextRun(Instant lastRun) {
		Assert.notNull(lastRun, "'lastRun' must not be null");
		LocalDateTime wall = LocalDateTime.ofInstant(lastRun, this.zone);
		while (true) {
			LocalDateTime next = this.cron.next(wall);
			if (next == null) {
				throw new IllegalStateException(
						"Cron expression '" + this.expression + "' has no run after " + lastRun + " in " + this.zone);
			}
			Instant instant = firstInstantShowing(next, lastRun);
			if (instant != null) {
				return instant;
			}
			wall = next;
		}
	}

	/**
	 * Return the first instant after {@code after} at which the zone's clock shows
	 * {@code wall} or later: the instant of {@code wall} itself, the earlier one when the
	 * clock shows it twice, or the end of the gap when the clock skips it.
	 */
	private @Nullable Instant firstInstantShowing(LocalDateTime wall, Instant after) {
		ZoneRules rules = this.zone.getRules();
		Instant first = null;
		for (ZoneOffset offset : rules.getValidOffsets(wall)) {
			Instant instant = wall.toInstant(offset);
			if (instant.isAfter(after) && (first == null || instant.isBefore(first))) {
				first = instant;
			}
		}
		if (rules.getValidOffsets(wall).isEmpty()) {
			ZoneOffsetTransition gap = rules.getTransition(wall);
			if (gap != null && gap.getInstant().isAfter(after)) {
				first = gap.getInstant();
			}
		}
		return first;
	}

	/**
	 * Return the expression as given.
	 * @return the expression
	 */
	public String getExpression() {
		return this.expression;
	}

	/**
	 * Return the zone whose wall clock the expression reads.
	 * @return the zone
	 */
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof CrontabSchedule that) && this.cron.equals(that.cron) && this.zone.equals(that.zone);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.cron, this.zone);
	}

	@Override
	public String toString() {
		return "crontab '" + this.expression + "' (" + this.zone + ")";
	}

}
