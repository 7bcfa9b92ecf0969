package io.celery4j.beat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CrontabScheduleTests {

	private static final ZoneId UTC = ZoneOffset.UTC;

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	@Test
	void runsAtEveryMinuteTheMinuteFieldNames() {
		assertThat(runs("*/15 * * * *", UTC, "2024-05-01T10:07:31Z", 4)).containsExactly("2024-05-01T10:15:00Z",
				"2024-05-01T10:30:00Z", "2024-05-01T10:45:00Z", "2024-05-01T11:00:00Z");
	}

	@Test
	void nextRunIsStrictlyAfterALastRunOnAMatchingMinute() {
		assertThat(next("30 10 * * *", UTC, "2024-05-01T10:30:00Z")).isEqualTo("2024-05-02T10:30:00Z");
	}

	@Test
	void dayOfWeekZeroIsSunday() {
		// 2024-05-05 is a Sunday.
		assertThat(next("0 9 * * 0", UTC, "2024-05-01T00:00:00Z")).isEqualTo("2024-05-05T09:00:00Z");
	}

	@Test
	void dayOfWeekAcceptsNamesInAnyCase() {
		assertThat(next("0 9 * * Sunday", UTC, "2024-05-01T00:00:00Z")).isEqualTo("2024-05-05T09:00:00Z");
		assertThat(next("0 9 * * SUN", UTC, "2024-05-01T00:00:00Z")).isEqualTo("2024-05-05T09:00:00Z");
	}

	@Test
	void aDayRunsOnlyWhenItMatchesBothDayFieldsAsInCelery() {
		// Friday the 13th: September 2024, not every 13th and not every Friday.
		assertThat(next("0 0 13 * fri", UTC, "2024-03-01T00:00:00Z")).isEqualTo("2024-09-13T00:00:00Z");
	}

	@Test
	void firstMondayOfTheMonthCombinesADayRangeAndAWeekday() {
		assertThat(runs("0 8 1-7 * mon", UTC, "2024-05-01T00:00:00Z", 2)).containsExactly("2024-05-06T08:00:00Z",
				"2024-06-03T08:00:00Z");
	}

	@Test
	void rangesWrapAroundTheEndOfTheirField() {
		// Friday 2024-05-03 to Monday 2024-05-06.
		assertThat(runs("0 9 * * fri-mon", UTC, "2024-05-01T00:00:00Z", 4)).containsExactly("2024-05-03T09:00:00Z",
				"2024-05-04T09:00:00Z", "2024-05-05T09:00:00Z", "2024-05-06T09:00:00Z");
		assertThat(runs("0 22-1 * * *", UTC, "2024-05-01T12:00:00Z", 4)).containsExactly("2024-05-01T22:00:00Z",
				"2024-05-01T23:00:00Z", "2024-05-02T00:00:00Z", "2024-05-02T01:00:00Z");
	}

	@Test
	void stepsTakeEveryNthValueOfTheExpandedList() {
		assertThat(runs("1-10/4 * * * *", UTC, "2024-05-01T12:00:00Z", 3)).containsExactly("2024-05-01T12:01:00Z",
				"2024-05-01T12:05:00Z", "2024-05-01T12:09:00Z");
		// Celery's day_of_month='*/3' is 1, 4, 7, ... (the list starts at 1).
		assertThat(runs("0 0 */10 * *", UTC, "2024-05-01T12:00:00Z", 3)).containsExactly("2024-05-11T00:00:00Z",
				"2024-05-21T00:00:00Z", "2024-05-31T00:00:00Z");
	}

	@Test
	void listsMixNumbersRangesAndSteps() {
		assertThat(runs("0 0,8-17/4 * * *", UTC, "2024-05-01T01:00:00Z", 4)).containsExactly("2024-05-01T08:00:00Z",
				"2024-05-01T12:00:00Z", "2024-05-01T16:00:00Z", "2024-05-02T00:00:00Z");
	}

	@Test
	void monthsAcceptNamesAsInUnixCron() {
		assertThat(next("0 0 1 jan,JUL *", UTC, "2024-05-01T00:00:00Z")).isEqualTo("2024-07-01T00:00:00Z");
	}

	@Test
	void leapDayRunsEveryFourYears() {
		assertThat(runs("0 0 29 2 *", UTC, "2024-02-29T00:00:00Z", 2)).containsExactly("2028-02-29T00:00:00Z",
				"2032-02-29T00:00:00Z");
	}

	@Test
	void dayThirtyOneSkipsShorterMonths() {
		assertThat(runs("0 12 31 * *", UTC, "2024-01-31T12:00:00Z", 3)).containsExactly("2024-03-31T12:00:00Z",
				"2024-05-31T12:00:00Z", "2024-07-31T12:00:00Z");
	}

	@Test
	void sixFieldsReadAsSpringsCronExpressionWithSeconds() {
		assertThat(runs("*/20 * * * * *", UTC, "2024-05-01T12:00:00.500Z", 3)).containsExactly("2024-05-01T12:00:20Z",
				"2024-05-01T12:00:40Z", "2024-05-01T12:01:00Z");
		assertThat(next("0 0 12 L * *", UTC, "2024-02-01T00:00:00Z")).isEqualTo("2024-02-29T12:00:00Z");
	}

	@Test
	void macrosAreTheUsualCrontabs() {
		assertThat(next("@hourly", UTC, "2024-05-01T12:10:00Z")).isEqualTo("2024-05-01T13:00:00Z");
		assertThat(next("@daily", UTC, "2024-05-01T12:10:00Z")).isEqualTo("2024-05-02T00:00:00Z");
		assertThat(next("@weekly", UTC, "2024-05-01T12:10:00Z")).isEqualTo("2024-05-05T00:00:00Z");
		assertThat(next("@monthly", UTC, "2024-05-01T12:10:00Z")).isEqualTo("2024-06-01T00:00:00Z");
		assertThat(next("@yearly", UTC, "2024-05-01T12:10:00Z")).isEqualTo("2025-01-01T00:00:00Z");
	}

	@Test
	void readsTheWallClockOfItsZone() {
		assertThat(next("0 9 * * *", BERLIN, "2024-05-01T06:00:00Z")).isEqualTo("2024-05-01T07:00:00Z");
		assertThat(next("0 9 * * *", BERLIN, "2024-12-01T06:00:00Z")).isEqualTo("2024-12-01T08:00:00Z");
	}

	@Test
	void aRunInADaylightSavingGapRunsOnceWhenTheClockJumps() {
		// 2024-03-31 in Berlin: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 02:30 never
		// shows.
		assertThat(runs("30 2 * * *", BERLIN, "2024-03-30T01:30:00Z", 2)).containsExactly("2024-03-31T01:00:00Z",
				"2024-04-01T00:30:00Z");
	}

	@Test
	void runsEveryFewMinutesInADaylightSavingGapCollapseIntoOne() {
		assertThat(runs("*/20 * * * *", BERLIN, "2024-03-31T00:40:00Z", 3)).containsExactly("2024-03-31T01:00:00Z",
				"2024-03-31T01:20:00Z", "2024-03-31T01:40:00Z");
	}

	@Test
	void aRepeatedHourRunsOnlyOnce() {
		// 2024-11-03 in New York: 02:00 EDT becomes 01:00 EST at 06:00 UTC; 01:30 shows
		// twice and runs the first time.
		assertThat(runs("30 1 * * *", NEW_YORK, "2024-11-02T05:30:00Z", 2)).containsExactly("2024-11-03T05:30:00Z",
				"2024-11-04T06:30:00Z");
		assertThat(runs("0 * * * *", NEW_YORK, "2024-11-03T04:00:00Z", 3)).containsExactly("2024-11-03T05:00:00Z",
				"2024-11-03T07:00:00Z", "2024-11-03T08:00:00Z");
	}

	@Test
	void aLastRunInTheSecondPassOfARepeatedHourCountsFromThere() {
		// 01:10 EST, the second 01:10 of the night.
		assertThat(next("*/15 * * * *", NEW_YORK, "2024-11-03T06:10:00Z")).isEqualTo("2024-11-03T06:15:00Z");
	}

	@Test
	void rejectsSevenForSundayAsCeleryDoes() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 9 * * 7", UTC))
			.withMessageContaining("'0 9 * * 7'")
			.withMessageContaining("day-of-week")
			.withMessageContaining("0 is Sunday");
	}

	@Test
	void rejectsAWrongNumberOfFields() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 9 * *", UTC))
			.withMessageContaining("has 4 fields")
			.withMessageContaining("expected 5");
	}

	@Test
	void rejectsAnEmptyExpression() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("  ", UTC))
			.withMessageContaining("empty");
	}

	@Test
	void rejectsAnEmptyListPart() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("1,,2 * * * *", UTC))
			.withMessageContaining("minute field '1,,2'")
			.withMessageContaining("empty part");
	}

	@Test
	void rejectsAStepOfZero() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("*/0 * * * *", UTC))
			.withMessageContaining("step");
	}

	@Test
	void rejectsAStepWithoutANumber() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 1-5/ * * *", UTC))
			.withMessageContaining("hour field '1-5/'");
	}

	@Test
	void rejectsAnOutOfRangeValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 24 * * *", UTC))
			.withMessageContaining("hour field '24'")
			.withMessageContaining("0-23");
	}

	@Test
	void rejectsADayNameOutsideTheDayOfWeekField() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 mon * * *", UTC))
			.withMessageContaining("hour field 'mon'")
			.withMessageContaining("not a number");
	}

	@Test
	void rejectsAnUnknownName() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 0 * * funday", UTC))
			.withMessageContaining("'funday'");
	}

	@Test
	void rejectsAnExpressionThatNeverMatches() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 0 31 2 *", UTC))
			.withMessageContaining("'0 0 31 2 *' never matches");
	}

	@Test
	void rejectsAnUnknownMacro() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("@reboot", UTC))
			.withMessageContaining("'@reboot'")
			.withMessageContaining("@hourly");
	}

	@Test
	void rejectsAMalformedSixFieldExpression() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 0 25 * * *", UTC))
			.withMessageContaining("'0 0 25 * * *'")
			.withMessageContaining("Spring");
	}

	@Test
	void describesItselfWithExpressionAndZone() {
		assertThat(CrontabSchedule.parse("0 4 * * *", BERLIN)).hasToString("crontab '0 4 * * *' (Europe/Berlin)");
	}

	@Test
	void equalExpressionsInOneZoneAreEqual() {
		assertThat(CrontabSchedule.parse("0 9 * * mon-fri", UTC)).isEqualTo(CrontabSchedule.parse("0 9 * * 1-5", UTC))
			.isNotEqualTo(CrontabSchedule.parse("0 9 * * 1-5", BERLIN));
	}

	private static String next(String expression, ZoneId zone, String lastRun) {
		return runs(expression, zone, lastRun, 1).get(0);
	}

	private static List<String> runs(String expression, ZoneId zone, String lastRun, int count) {
		CrontabSchedule schedule = CrontabSchedule.parse(expression, zone);
		Instant run = OffsetDateTime.parse(lastRun).toInstant();
		List<String> runs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			run = schedule.nextRun(run);
			runs.add(run.toString());
		}
		return runs;
	}

}
