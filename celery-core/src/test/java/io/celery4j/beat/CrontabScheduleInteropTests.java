package io.celery4j.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import io.celery4j.testsupport.PythonCelery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Compares the next run of {@link CrontabSchedule} with Python Celery's for a table of
 * expressions and last runs: month ends, leap days, the year end, and daylight saving
 * changes in Europe, America and Australia (including one at midnight and one of half an
 * hour). Python's answer is the first instant at which {@code crontab.is_due(last_run)}
 * says due, which is when Celery beat sends the task (see
 * {@code src/test/resources/interop/beat_crontab.py}).
 */
class CrontabScheduleInteropTests {

	private static final List<String> EXPRESSIONS = List.of("* * * * *", "*/15 * * * *", "*/7 * * * *", "0 * * * *",
			"30 2 * * *", "0 2 * * *", "0,30 1-3 * * *", "15 1 * * *", "0 0 * * *", "59 23 * * *", "0 0 1 * *",
			"0 0 31 * *", "0 12 30 * *", "0 0 29 2 *", "0 0 28-31 * *", "0 9 * * mon-fri", "0 9 * * 1-5", "0 9 * * sun",
			"0 9 * * 0", "0 9 * * sat,sun", "0 9 * * fri-mon", "0 22-2 * * *", "0 0 13 * fri", "0 0 1-7 * mon",
			"0 0 1 */3 *", "0 0 1 1 *", "1,13,30-45,50-59/2 * * * *", "0 0,8-17/2 * * *", "0 */3 * * *",
			"0 0 2-30/2 * *", "0 8 1-7,15-21 * 1", "45 23 31 12 *", "0 0 * * */2", "5 4 * 2 *", "0 0 29 2 1",
			"30 0 * * Monday", "@hourly", "@daily", "@weekly", "@monthly", "@yearly");

	private static final Map<String, String> MACROS = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *", "@weekly",
			"0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *");

	private static final List<String> INVALID = List.of("0 9 * * 7", "0 24 * * *", "60 * * * *", "*/0 * * * *",
			"1,,2 * * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 1-5/ * *", "0 0 31 2 *", "0 0 30 2 *");

	private static final List<LastRun> LAST_RUNS = List.of(
			// Month ends, leap days, year end, fractions of a second.
			new LastRun("UTC", "2024-01-31T23:59:59Z"), new LastRun("UTC", "2024-02-28T12:00:00Z"),
			new LastRun("UTC", "2024-02-29T00:00:00Z"), new LastRun("UTC", "2023-02-28T23:59:00Z"),
			new LastRun("UTC", "2024-04-30T23:30:00Z"), new LastRun("UTC", "2024-12-31T23:59:59.500Z"),
			new LastRun("UTC", "2025-06-15T10:07:31.250Z"), new LastRun("Asia/Kolkata", "2024-02-29T23:45:00+05:30"),
			// Berlin: 2024-03-31 02:00 -> 03:00, 2024-10-27 03:00 -> 02:00.
			new LastRun("Europe/Berlin", "2024-03-30T03:00:00+01:00"),
			new LastRun("Europe/Berlin", "2024-03-31T00:45:00+01:00"),
			new LastRun("Europe/Berlin", "2024-03-31T01:59:30+01:00"),
			new LastRun("Europe/Berlin", "2024-10-26T23:00:00+02:00"),
			new LastRun("Europe/Berlin", "2024-10-27T01:50:00+02:00"),
			new LastRun("Europe/Berlin", "2024-10-27T02:10:00+02:00"),
			new LastRun("Europe/Berlin", "2024-10-27T02:10:00+01:00"),
			// New York: 2024-03-10 02:00 -> 03:00, 2024-11-03 02:00 -> 01:00.
			new LastRun("America/New_York", "2024-03-10T01:00:00-05:00"),
			new LastRun("America/New_York", "2024-03-10T01:59:00-05:00"),
			new LastRun("America/New_York", "2024-11-02T22:00:00-04:00"),
			new LastRun("America/New_York", "2024-11-03T00:55:00-04:00"),
			new LastRun("America/New_York", "2024-11-03T01:30:00-04:00"),
			new LastRun("America/New_York", "2024-11-03T01:30:00-05:00"),
			// Sao Paulo changed at midnight: 2018-11-04 00:00 -> 01:00, 2019-02-17 00:00
			// -> 2019-02-16 23:00.
			new LastRun("America/Sao_Paulo", "2018-11-03T23:30:00-03:00"),
			new LastRun("America/Sao_Paulo", "2019-02-16T23:30:00-02:00"),
			// Lord Howe moves by half an hour: 2024-04-07 02:00 -> 01:30, 2024-10-06
			// 02:00 -> 02:30.
			new LastRun("Australia/Lord_Howe", "2024-04-07T01:40:00+11:00"),
			new LastRun("Australia/Lord_Howe", "2024-10-06T01:45:00+10:30"));

	private static final List<Case> cases = table();

	private static @Nullable List<Map<String, Object>> answers;

	@BeforeEach
	void askPythonCeleryOnce() {
		PythonCelery python = PythonCelery.require();
		if (answers == null) {
			String input = Json.write(cases.stream().map(Case::toPython).toList());
			String output = python
				.run(PythonCelery.resource("interop/beat_crontab.py"), List.of(), input, Duration.ofSeconds(120))
				.successfulOutput();
			answers = readAnswers(output);
			assertThat(answers).hasSameSizeAs(cases);
		}
	}

	private static List<Case> table() {
		List<Case> table = new ArrayList<>();
		for (String expression : EXPRESSIONS) {
			for (LastRun lastRun : LAST_RUNS) {
				table.add(new Case(expression, lastRun.zone(), lastRun.at()));
			}
		}
		for (String expression : INVALID) {
			table.add(new Case(expression, "UTC", "2024-05-01T00:00:00Z"));
		}
		return table;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> readAnswers(String output) {
		return (List<Map<String, Object>>) Json.read(output);
	}

	private static Map<String, Object> answer(int index) {
		List<Map<String, Object>> all = answers;
		assertThat(all).as("Python Celery's answers").isNotNull();
		return all.get(index);
	}

	@Test
	void nextRunsMatchPythonCeleryForEveryExpressionAndLastRun() {
		List<String> differences = new ArrayList<>();
		int compared = 0;
		for (int i = 0; i < cases.size(); i++) {
			Case row = cases.get(i);
			if (row.isValid()) {
				Instant celery = instant(answer(i), "fixedNext", row);
				Instant java = row.nextRun();
				compared++;
				if (!celery.equals(java)) {
					differences.add(row + ": Celery " + celery + ", Java " + java);
				}
			}
		}
		assertThat(compared).isEqualTo(EXPRESSIONS.size() * LAST_RUNS.size()).isGreaterThanOrEqualTo(1000);
		assertThat(differences).as("next runs that differ from Python Celery's").isEmpty();
	}

	@Test
	void nextRunsDifferFromCelery52OnlyWhereItsDateComparisonSkipsAMonth() {
		List<String> skipped = new ArrayList<>();
		for (int i = 0; i < cases.size(); i++) {
			Case row = cases.get(i);
			if (row.isValid()) {
				Instant celery52 = instant(answer(i), "next", row);
				Instant java = row.nextRun();
				if (!celery52.equals(java)) {
					// Celery before 5.3 took a candidate date's midnight as UTC: only
					// zones west of UTC are affected, and always towards a later run.
					assertThat(row.offsetSeconds()).as("UTC offset of %s", row).isNegative();
					assertThat(celery52).as("Celery 5.2's next run for %s", row).isAfter(java);
					skipped.add(row + ": Celery 5.2 " + celery52 + ", Java " + java);
				}
			}
		}
		assertThat(skipped).as("rows where Celery 5.2 skips runs").hasSizeLessThan(cases.size() / 50);
	}

	@Test
	void nextRunsMatchCelerysRemainingEstimateWhereTheOffsetDoesNotChange() {
		int compared = 0;
		for (int i = 0; i < cases.size(); i++) {
			Case row = cases.get(i);
			if (!row.isValid()) {
				continue;
			}
			Instant java = row.nextRun();
			ZoneId zone = ZoneId.of(row.zone());
			if (zone.getRules().getOffset(java).equals(zone.getRules().getOffset(row.lastRun()))) {
				double estimate = ((Number) answer(i).get("fixedEstimate")).doubleValue();
				Instant celery = row.lastRun().plusNanos(Math.round(estimate * 1_000_000) * 1000);
				assertThat(java).as("next run of %s (remaining_estimate %ss)", row, estimate).isEqualTo(celery);
				compared++;
			}
		}
		assertThat(compared).isGreaterThan(500);
	}

	@Test
	void expressionsCeleryRefusesAreRefused() {
		for (int i = 0; i < cases.size(); i++) {
			Case row = cases.get(i);
			if (row.isValid()) {
				continue;
			}
			assertThat(answer(i)).as("Python Celery's answer for %s", row).containsKey("error");
			try {
				CrontabSchedule.parse(row.expression(), ZoneId.of(row.zone()));
				fail("Expected '" + row.expression() + "' to be refused as Celery refuses it: "
						+ answer(i).get("error"));
			}
			catch (IllegalArgumentException ex) {
				assertThat(ex).hasMessageContaining(row.expression());
			}
		}
	}

	private static Instant instant(Map<String, Object> answer, String key, Case row) {
		assertThat(answer).as("Python Celery's answer for %s", row).containsKey(key);
		return Instant.parse((String) answer.get(key));
	}

	private record LastRun(String zone, String at) {

	}

	private record Case(String expression, String zone, String at) {

		boolean isValid() {
			return !INVALID.contains(this.expression);
		}

		Instant lastRun() {
			return OffsetDateTime.parse(this.at).toInstant();
		}

		int offsetSeconds() {
			return OffsetDateTime.parse(this.at).getOffset().getTotalSeconds();
		}

		Instant nextRun() {
			return CrontabSchedule.parse(this.expression, ZoneId.of(this.zone)).nextRun(lastRun());
		}

		Map<String, Object> toPython() {
			String celery = MACROS.getOrDefault(this.expression, this.expression);
			Map<String, Object> python = new LinkedHashMap<>();
			python.put("fields", List.of(celery.split(" ")));
			python.put("zone", this.zone);
			python.put("last", this.at.replace("Z", "+00:00"));
			return python;
		}

		@Override
		public String toString() {
			return "'" + this.expression + "' in " + this.zone + " after " + this.at;
		}

	}

}
