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
 * Reading accepts what Celery's own parser ({@code celery.utils.iso8601}) accepts:
 * {@code Z}, {@code ±HH:MM} or no offset (then the configured timezone applies), and a
 * date without time. Writing produces what Python's {@code isoformat()} produces: six
 * fraction digits, or none when the microseconds are zero.
 */
public final class CeleryDates {

	private static final Pattern ISO8601 = Pattern.compile("([0-9]{4})(-([0-9]{1,2})(-([0-9]{1,2})"
			+ "((.)([0-9]{2}):([0-9]{2})(:([0-9]{2})(\\.([0-9]+))?)?(Z|(([-+])([0-9]{2}):([0-9]{2})))?)?)?)?");

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

	private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

	private CeleryDates() {
	}

	/**
	 * Parse a date of a message header.
	 * @param value the ISO 8601 text
	 * @param timezone the zone of a value without offset (Celery's {@code timezone})
	 * @return the instant
	 * @throws IllegalArgumentException if the text is not such a date; the message quotes
	 * it
	 */
	public static Instant parse(String value, ZoneId timezone) {
		Matcher matcher = ISO8601.matcher(value);
		if (!matcher.lookingAt()) {
			throw new IllegalArgumentException("'" + value + "' is not an ISO 8601 date");
		}
		try {
			LocalDateTime local = LocalDateTime.of(Integer.parseInt(matcher.group(1)), number(matcher.group(3), 1),
					number(matcher.group(5), 1), number(matcher.group(8), 0), number(matcher.group(9), 0),
					number(matcher.group(11), 0), nanos(matcher.group(13)));
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

	private static int number(@Nullable String digits, int fallback) {
		return (digits != null) ? Integer.parseInt(digits) : fallback;
	}

	private static int nanos(@Nullable String fraction) {
		if (fraction == null) {
			return 0;
		}
		String padded = (fraction.length() > 9) ? fraction.substring(0, 9) : (fraction + "000000000").substring(0, 9);
		return Integer.parseInt(padded);
	}

	/**
	 * Format an instant as a header date with an offset, as Python's
	 * {@code datetime.isoformat()} writes an aware value:
	 * {@code 2026-11-24T22:00:27.079396+00:00}.
	 * @param instant the instant
	 * @param timezone the zone whose offset is written
	 * @return the text
	 */
	public static String format(Instant instant, ZoneId timezone) {
		OffsetDateTime time = instant.atZone(timezone).toOffsetDateTime();
		String offset = time.getOffset().equals(ZoneOffset.UTC) ? "+00:00" : time.getOffset().getId();
		return local(time.toLocalDateTime()) + offset;
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
		LocalDateTime micros = time.withNano(time.getNano() / 1000 * 1000);
		return (micros.getNano() == 0) ? SECONDS.format(micros) : MICROS.format(micros);
	}

}
