package io.celery4j.protocol;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CeleryDates}: the forms Python's {@code isoformat()} writes and
 * Celery's {@code parse_iso8601} reads (PROTOCOL.md 1.4).
 */
class CeleryDatesTests {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Test
	void parsesPythonIsoformatWithMicroseconds() {
		assertThat(CeleryDates.parse("2026-11-24T22:00:27.079396+00:00", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2026-11-24T22:00:27.079396Z"));
	}

	@Test
	void parsesPythonIsoformatWithoutFraction() {
		assertThat(CeleryDates.parse("2030-01-02T03:04:05+00:00", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
	}

	@Test
	void parsesZuluTime() {
		assertThat(CeleryDates.parse("2026-11-24T22:14:39.750000Z", PARIS))
			.isEqualTo(Instant.parse("2026-11-24T22:14:39.750Z"));
	}

	@Test
	void parsesPositiveOffset() {
		assertThat(CeleryDates.parse("2030-01-02T03:04:05+01:00", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T02:04:05Z"));
	}

	@Test
	void parsesNegativeOffsetWithMinutes() {
		assertThat(CeleryDates.parse("2030-01-02T03:04:05.000001-05:30", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T08:34:05.000001Z"));
	}

	@Test
	void parsesNaiveValueInTheConfiguredZone() {
		assertThat(CeleryDates.parse("2030-01-02T03:04:05", PARIS)).isEqualTo(Instant.parse("2030-01-02T02:04:05Z"));
		assertThat(CeleryDates.parse("2030-07-02T03:04:05", PARIS)).isEqualTo(Instant.parse("2030-07-02T01:04:05Z"));
		assertThat(CeleryDates.parse("2030-01-02T03:04:05", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
	}

	@Test
	void parsesDateOnlyAsMidnightInTheConfiguredZone() {
		assertThat(CeleryDates.parse("2030-01-02", PARIS)).isEqualTo(Instant.parse("2030-01-01T23:00:00Z"));
	}

	@Test
	void parsesTimeWithoutSeconds() {
		assertThat(CeleryDates.parse("2030-01-02T03:04+00:00", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:00Z"));
	}

	@Test
	void parsesAnySeparatorBetweenDateAndTime() {
		assertThat(CeleryDates.parse("2030-01-02 03:04:05+00:00", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
	}

	@Test
	void parsesSingleDigitMonthAndDay() {
		assertThat(CeleryDates.parse("2030-1-2T03:04:05Z", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
	}

	@Test
	void readsFractionAsDecimalFractionOfASecond() {
		assertThat(CeleryDates.parse("2030-01-02T03:04:05.5Z", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05.500Z"));
		assertThat(CeleryDates.parse("2030-01-02T03:04:05.123Z", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05.123Z"));
		assertThat(CeleryDates.parse("2030-01-02T03:04:05.123456789Z", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05.123456789Z"));
		assertThat(CeleryDates.parse("2030-01-02T03:04:05.1234567891Z", ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05.123456789Z"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "tomorrow", "", "2030", "2030-01", "20300102T030405Z", "next 2030-01-02" })
	void rejectsTextThatIsNotADateQuotingIt(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> CeleryDates.parse(value, ZoneOffset.UTC))
			.withMessageStartingWith("'" + value + "' is not an ISO 8601 date: expected YYYY-MM-DD");
	}

	@ParameterizedTest
	@ValueSource(strings = { "2030-13-01T00:00:00Z", "2030-02-30", "2030-01-02T24:00:00Z", "2030-01-02T03:04:61Z",
			"2030-01-02T03:04:05+19:00", "0000-01-01" })
	void rejectsImpossibleDatesQuotingThem(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> CeleryDates.parse(value, ZoneOffset.UTC))
			.withMessageStartingWith("'" + value + "' is not a valid date: ");
	}

	@Test
	void formatsWithSixFractionDigits() {
		assertThat(CeleryDates.format(Instant.parse("2026-11-24T22:00:27.079396Z"), ZoneOffset.UTC))
			.isEqualTo("2026-11-24T22:00:27.079396+00:00");
		assertThat(CeleryDates.format(Instant.parse("2026-11-24T22:00:27.5Z"), ZoneOffset.UTC))
			.isEqualTo("2026-11-24T22:00:27.500000+00:00");
		assertThat(CeleryDates.format(Instant.parse("2026-11-24T22:00:27.000001Z"), ZoneOffset.UTC))
			.isEqualTo("2026-11-24T22:00:27.000001+00:00");
	}

	@Test
	void formatsWithoutFractionWhenMicrosecondsAreZero() {
		assertThat(CeleryDates.format(Instant.parse("2030-01-02T03:04:05Z"), ZoneOffset.UTC))
			.isEqualTo("2030-01-02T03:04:05+00:00");
		assertThat(CeleryDates.format(Instant.parse("2030-01-02T03:04:05.000000999Z"), ZoneOffset.UTC))
			.isEqualTo("2030-01-02T03:04:05+00:00");
	}

	@Test
	void formatsNaiveUtcWithZeroPaddedFieldsAsPythonIsoformat() {
		assertThat(CeleryDates.formatNaiveUtc(Instant.parse("0999-01-02T03:04:05.000010Z")))
			.isEqualTo("0999-01-02T03:04:05.000010");
		assertThat(CeleryDates.formatNaiveUtc(Instant.parse("2026-12-31T23:59:59.999999Z")))
			.isEqualTo("2026-12-31T23:59:59.999999");
		assertThat(CeleryDates.formatNaiveUtc(Instant.parse("2026-11-24T22:00:21Z"))).isEqualTo("2026-11-24T22:00:21");
	}

	@Test
	void dropsDigitsBelowMicroseconds() {
		assertThat(CeleryDates.format(Instant.parse("2030-01-02T03:04:05.123456789Z"), ZoneOffset.UTC))
			.isEqualTo("2030-01-02T03:04:05.123456+00:00");
	}

	@Test
	void formatsTheOffsetOfTheConfiguredZone() {
		Instant instant = Instant.parse("2030-01-02T03:04:05Z");
		assertThat(CeleryDates.format(instant, PARIS)).isEqualTo("2030-01-02T04:04:05+01:00");
		assertThat(CeleryDates.format(instant, ZoneId.of("Asia/Kolkata"))).isEqualTo("2030-01-02T08:34:05+05:30");
		assertThat(CeleryDates.format(instant, ZoneId.of("America/St_Johns"))).isEqualTo("2030-01-01T23:34:05-03:30");
		assertThat(CeleryDates.format(instant, ZoneId.of("UTC"))).isEqualTo("2030-01-02T03:04:05+00:00");
	}

	@Test
	void formatsNaiveUtcForDateDone() {
		assertThat(CeleryDates.formatNaiveUtc(Instant.parse("2026-11-24T22:00:21.881326Z")))
			.isEqualTo("2026-11-24T22:00:21.881326");
		assertThat(CeleryDates.formatNaiveUtc(Instant.parse("2030-01-02T03:04:05Z"))).isEqualTo("2030-01-02T03:04:05");
	}

	@Test
	void readsBackWhatItWrites() {
		Instant instant = Instant.parse("2030-06-15T12:34:56.789012Z");
		for (ZoneId zone : new ZoneId[] { ZoneOffset.UTC, PARIS, ZoneId.of("America/St_Johns") }) {
			assertThat(CeleryDates.parse(CeleryDates.format(instant, zone), ZoneOffset.UTC)).isEqualTo(instant);
		}
		assertThat(CeleryDates.parse(CeleryDates.formatNaiveUtc(instant), ZoneOffset.UTC)).isEqualTo(instant);
	}

}
