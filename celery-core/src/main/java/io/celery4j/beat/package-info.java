/**
 * Celery beat: schedules ({@link io.celery4j.beat.CrontabSchedule crontab} with Celery's
 * semantics, {@link io.celery4j.beat.FixedRateSchedule fixed rate}), schedule entries and
 * the {@link io.celery4j.beat.BeatScheduler scheduler} that sends due tasks, electing one
 * leader among application instances through a {@link io.celery4j.beat.BeatStore}.
 * Counterpart of {@code celery.beat} and {@code celery.schedules}.
 */
@NullMarked
package io.celery4j.beat;

import org.jspecify.annotations.NullMarked;
