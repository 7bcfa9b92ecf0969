package io.celery4j.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the ISO 8601 dates of the wire format (PROTOCOL.md 1.4 and 3.2).
 * <p>
 * Reading accepts what Celery's own parser ({@code celery.utils.iso8601.parse_iso8601})
 * accepts: a date with at least year, month and day, optionally a time
 * ({@code HH:MM[:SS[.fraction]]}) after any one separator character, then {@code Z},
 * {@code ±HH:MM} or no offset (the configured timezone then applies). Like Celery, text
 * after the recognised part is ignored. One deliberate difference: the fraction is read
 * as a decimal fraction of a second ({@code .5} is half a second, up to nanoseconds),
 * where Celery reads the digits as a number of microseconds ({@code .5} is 5 µs). Both
 * agree on the six digits Python writes.
 * <p>
 * Writing produces what Python's {@code datetime.isoformat()} produces: six fraction
 * digits, or none when the microseconds are zero, so Celery reads the value exactly.
 */
public final class CeleryDates {

	private static final Pattern ISO8601 = Pattern.compile("([0-9]{4})(-([0-9]{1,2})(-([0-9]{1,2})"
			+ "((.)([0-9]{2}):([0-9]{2})(:([0-9]{2})(\\.([0-9]+))?)?(Z|(([-+])([0-9]{2}):([0-9]{2})))?)?)?)?");

	private static final int MAX_FRACTION_DIGITS = 9;

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

	private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

	private CeleryDates() {
	}

	/**
	 * Parse a date of a message header.
	 * @param value the ISO 8601 text, for example
	 * {@code 2026-11-24T22:00:27.079396+00:00}
	 * @param timezone the zone of a value without offset (Celery's {@code timezone})
	 * @return the instant
	 * @throws IllegalArgumentException if the text is not such a date; the message quotes
	 * it
	 */
	public static Instant parse(String value, ZoneId timezone) {
		Matcher matcher = ISO8601.matcher(value);
		if (!matcher.lookingAt() || matcher.group(5) == null) {
			throw new IllegalArgumentException("'" + value
					+ "' is not an ISO 8601 date: expected YYYY-MM-DD, optionally followed by a time such as"
					+ " T22:00:27.079396+00:00");
		}
		try {
			int year = Integer.parseInt(matcher.group(1));
			if (year < 1) {
				// Python's datetime starts at year 1; Celery rejects year 0.
				throw new DateTimeException("year must be 1 to 9999, got " + matcher.group(1));
			}
			LocalDateTime local = LocalDateTime.of(year, Integer.parseInt(matcher.group(3)),
					Integer.parseInt(matcher.group(5)), number(matcher.group(8)), number(matcher.group(9)),
					number(matcher.group(11)), nanos(matcher.group(13)));
			String zone = matcher.group(14);
			if (zone == null) {
				return local.atZone(timezone).toInstant();
			}
			if (zone.equals("Z")) {
				return local.toInstant(ZoneOffset.UTC);
			}
			int sign = matcher.group(16).equals("-") ? -1 : 1;
			ZoneOffset offset = ZoneOffset.ofHoursMinutes(sign * Integer.parseInt(matcher.group(17)),
					sign * Integer.parseInt(matcher.group(18)));
			return local.toInstant(offset);
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("'" + value + "' is not a valid date: " + ex.getMessage(), ex);
		}
	}

	private static int number(@Nullable String digits) {
		return (digits != null) ? Integer.parseInt(digits) : 0;
	}

	private static int nanos(@Nullable String fraction) {
		if (fraction == null) {
			return 0;
		}
		String digits = (fraction.length() > MAX_FRACTION_DIGITS) ? fraction.substring(0, MAX_FRACTION_DIGITS)
				: fraction;
		return Integer.parseInt(digits) * (int) Math.pow(10, MAX_FRACTION_DIGITS - digits.length());
	}

	/**
	 * Format an instant as a header date with an offset, as Python's
	 * {@code datetime.isoformat()} writes an aware value:
	 * {@code 2026-11-24T22:00:27.079396+00:00}, or {@code 2030-01-02T03:04:05+01:00} when
	 * the microseconds are zero. Digits below the microsecond are dropped.
	 * @param instant the instant
	 * @param timezone the zone whose offset is written
	 * @return the text
	 */
	public static String format(Instant instant, ZoneId timezone) {
		OffsetDateTime time = instant.atZone(timezone).toOffsetDateTime();
		ZoneOffset offset = time.getOffset();
		return local(time.toLocalDateTime()) + (offset.equals(ZoneOffset.UTC) ? "+00:00" : offset.getId());
	}

	/**
	 * Format an instant as naive UTC, the form of a result's {@code date_done}:
	 * {@code 2026-11-24T22:00:21.881326}.
	 * @param instant the instant
	 * @return the text
	 */
	public static String formatNaiveUtc(Instant instant) {
		return local(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
	}

	private static String local(LocalDateTime time) {
		int micros = time.getNano() / 1000;
		if (time.getYear() < 1 || time.getYear() > 9999) {
			LocalDateTime truncated = time.withNano(micros * 1000);
			return (micros == 0) ? SECONDS.format(truncated) : MICROS.format(truncated);
		}
		// What SECONDS and MICROS print, without a formatter: this runs for every result.
		StringBuilder out = new StringBuilder(26);
		pad(out, time.getYear(), 4).append('-');
		pad(out, time.getMonthValue(), 2).append('-');
		pad(out, time.getDayOfMonth(), 2).append('T');
		pad(out, time.getHour(), 2).append(':');
		pad(out, time.getMinute(), 2).append(':');
		pad(out, time.getSecond(), 2);
		if (micros != 0) {
			pad(out.append('.'), micros, 6);
		}
		return out.toString();
	}

	private static StringBuilder pad(StringBuilder out, int value, int width) {
		for (int limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
			if (value < limit) {
				out.append('0');
			}
		}
		return out.append(value);
	}

}
