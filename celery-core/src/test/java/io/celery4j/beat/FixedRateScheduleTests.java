package io.celery4j.beat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FixedRateScheduleTests {

	private static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

	@Test
	void nextRunIsOnePeriodAfterTheLastRun() {
		assertThat(new FixedRateSchedule(Duration.ofSeconds(10)).nextRun(START))
			.isEqualTo(Instant.parse("2024-05-01T12:00:10Z"));
	}

	@Test
	void firstRunComesOnePeriodAfterBeatFirstSeesTheEntryAsInCelery() {
		FixedRateSchedule schedule = new FixedRateSchedule(Duration.ofSeconds(10));
		assertThat(schedule.nextRun(schedule.initialLastRun(START))).isEqualTo(Instant.parse("2024-05-01T12:00:10Z"));
	}

	@Test
	void firstRunComesAfterTheInitialDelayWhenOneIsSet() {
		FixedRateSchedule schedule = new FixedRateSchedule(Duration.ofMinutes(1), Duration.ofSeconds(5));
		assertThat(schedule.nextRun(schedule.initialLastRun(START))).isEqualTo(Instant.parse("2024-05-01T12:00:05Z"));
	}

	@Test
	void zeroInitialDelayRunsAtOnce() {
		FixedRateSchedule schedule = new FixedRateSchedule(Duration.ofMinutes(1), Duration.ZERO);
		assertThat(schedule.nextRun(schedule.initialLastRun(START))).isEqualTo(START);
	}

	@Test
	void rejectsAPeriodOfZero() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FixedRateSchedule(Duration.ZERO))
			.withMessageContaining("'rate' must be positive");
	}

	@Test
	void rejectsANegativeInitialDelay() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FixedRateSchedule(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
			.withMessageContaining("'initialDelay' must not be negative");
	}

	@Test
	void describesItselfWithItsPeriod() {
		assertThat(new FixedRateSchedule(Duration.ofMillis(1500))).hasToString("every 1.5s");
		assertThat(new FixedRateSchedule(Duration.ofMinutes(90))).hasToString("every 1h30m");
	}

}
