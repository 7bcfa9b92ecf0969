package io.celery4j.beat;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where one schedule entry stands: when it last ran and when it runs next. What the
 * actuator endpoint shows for each entry.
 *
 * @param name the entry name
 * @param task the task name
 * @param schedule the schedule, described as in logs ({@code every 10s},
 * {@code crontab '0 4 * * *' (UTC)})
 * @param lastRun the last run beat recorded, or {@code null} before the first
 * @param nextRun when beat sends the task next
 */
public record NextRun(String name, String task, String schedule, @Nullable Instant lastRun, Instant nextRun) {

}
