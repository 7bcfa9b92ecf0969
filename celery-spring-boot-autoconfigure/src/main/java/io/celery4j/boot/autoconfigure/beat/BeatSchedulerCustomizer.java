package io.celery4j.boot.autoconfigure.beat;

import io.celery4j.beat.BeatScheduler;

/**
 * Callback to customize the auto-configured {@link BeatScheduler} before it starts, for
 * example to add entries built in code or listeners.
 */
@FunctionalInterface
public interface BeatSchedulerCustomizer {

	/**
	 * Customize the scheduler.
	 * @param scheduler the scheduler
	 */
	void customize(BeatScheduler scheduler);

}
