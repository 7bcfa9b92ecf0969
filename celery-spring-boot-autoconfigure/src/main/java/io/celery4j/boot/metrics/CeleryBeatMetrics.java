package io.celery4j.boot.metrics;

import java.time.Duration;
import java.time.Instant;

import io.celery4j.beat.BeatListener;
import io.celery4j.beat.ScheduleEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Beat's meters: {@code celery.beat.fired} (counter) and {@code celery.beat.lag} (timer,
 * how late a due run was sent), both tagged with the schedule {@code entry}. Registered
 * as a {@link BeatListener}, so only the instance that leads beat counts firings.
 */
public class CeleryBeatMetrics implements MeterBinder, BeatListener {

	private volatile @Nullable MeterRegistry registry;

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void fired(ScheduleEntry entry, String taskId, Instant due, Duration lag) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		Counter.builder("celery.beat.fired")
			.description("Due runs beat sent")
			.tag("entry", entry.name())
			.register(registry)
			.increment();
		Timer.builder("celery.beat.lag")
			.description("How late beat sent a due run")
			.tag("entry", entry.name())
			.register(registry)
			.record(lag.isNegative() ? Duration.ZERO : lag);
	}

}
