package io.celery4j.boot.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.celery4j.beat.FixedRateSchedule;
import io.celery4j.beat.ScheduleEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CeleryBeatMetrics}.
 */
class CeleryBeatMetricsTests {

	@Test
	void countsFiringsAndRecordsLagPerEntry() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		CeleryBeatMetrics metrics = new CeleryBeatMetrics();
		metrics.bindTo(registry);
		ScheduleEntry tick = new ScheduleEntry("tick", "tasks.tick", new FixedRateSchedule(Duration.ofSeconds(1)));
		metrics.fired(tick, "id-1", Instant.now(), Duration.ofMillis(40));
		metrics.fired(tick, "id-2", Instant.now(), Duration.ofMillis(60));
		assertThat(registry.get("celery.beat.fired").tag("entry", "tick").counter().count()).isEqualTo(2);
		assertThat(registry.get("celery.beat.lag").tag("entry", "tick").timer().totalTime(TimeUnit.MILLISECONDS))
			.isEqualTo(100);
	}

	@Test
	void recordsNothingBeforeItIsBound() {
		CeleryBeatMetrics metrics = new CeleryBeatMetrics();
		ScheduleEntry tick = new ScheduleEntry("tick", "tasks.tick", new FixedRateSchedule(Duration.ofSeconds(1)));
		metrics.fired(tick, "id-1", Instant.now(), Duration.ofMillis(40));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		metrics.bindTo(registry);
		assertThat(registry.find("celery.beat.fired").counter()).isNull();
	}

}
