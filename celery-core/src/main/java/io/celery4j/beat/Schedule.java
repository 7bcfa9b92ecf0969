package io.celery4j.beat;

import java.time.Instant;

/**
 * When a periodic task runs: Celery's {@code celery.schedules.schedule} and
 * {@code crontab}. Beat keeps each entry's last run and sends the task once
 * {@link #nextRun(Instant)} of that last run has come.
 *
 * @see CrontabSchedule
 * @see FixedRateSchedule
 */
public interface Schedule {

	/**
	 * Return the first run after a given last run.
	 * @param lastRun when the entry last ran (or, for a new entry,
	 * {@link #initialLastRun(Instant)})
	 * @return the next run, strictly after {@code lastRun}
	 */
	Instant nextRun(Instant lastRun);

	/**
	 * Return the last run a new entry counts from, as Celery sets {@code last_run_at} of
	 * a new entry to the time beat first sees it.
	 * @param start when beat first sees the entry
	 * @return the last run to count from
	 */
	default Instant initialLastRun(Instant start) {
		return start;
	}

}
