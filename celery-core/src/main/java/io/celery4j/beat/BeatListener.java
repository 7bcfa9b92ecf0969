package io.celery4j.beat;

import java.time.Duration;
import java.time.Instant;

/**
 * Callbacks on what beat does, for metrics ({@code celery.beat.fired},
 * {@code celery.beat.lag}) and tests. Called on the beat thread; keep them quick and do
 * not throw.
 */
public interface BeatListener {

	/**
	 * Called after beat sent a due task.
	 * @param entry the schedule entry
	 * @param taskId the id of the task message sent
	 * @param due when the entry was due
	 * @param lag how late the task was sent after it was due
	 */
	default void fired(ScheduleEntry entry, String taskId, Instant due, Duration lag) {
	}

	/**
	 * Called when sending a due task failed; beat records the run anyway and tries again
	 * at the next run, as Celery beat does.
	 * @param entry the schedule entry
	 * @param due when the entry was due
	 * @param error what went wrong
	 */
	default void failed(ScheduleEntry entry, Instant due, RuntimeException error) {
	}

	/**
	 * Called when this scheduler becomes the leader that sends due tasks, or stops being
	 * it.
	 * @param leader whether this scheduler now leads
	 */
	default void leadershipChanged(boolean leader) {
	}

}
