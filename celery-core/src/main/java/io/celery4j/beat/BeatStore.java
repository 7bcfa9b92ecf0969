package io.celery4j.beat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Where schedulers of the same application share beat's state: a leader lock, so that one
 * scheduler sends due tasks, and each entry's last run, so that a new leader neither
 * sends a run again nor skips one. Implementations: {@code RedisBeatStore} (instances on
 * one Redis database) and {@code MemoryBeatStore} (one JVM).
 * <p>
 * Methods throw a runtime exception when the store cannot be reached; the scheduler then
 * gives up leadership until the store answers again.
 */
public interface BeatStore extends AutoCloseable {

	/**
	 * Take the leader lock if nobody holds it, or extend it if {@code owner} holds it.
	 * @param owner the scheduler asking
	 * @param timeout how long the lock lasts unless extended again
	 * @return whether {@code owner} holds the lock now
	 */
	boolean acquire(String owner, Duration timeout);

	/**
	 * Give the leader lock up if {@code owner} holds it, so another scheduler can take it
	 * at once.
	 * @param owner the scheduler giving up
	 */
	void release(String owner);

	/**
	 * Return every entry's recorded last run.
	 * @return entry name to last run
	 */
	Map<String, Instant> lastRuns();

	/**
	 * Record a new entry's first last run unless one is already recorded.
	 * @param entry the entry name
	 * @param lastRun the last run to count from
	 * @return the recorded last run: {@code lastRun}, or the one recorded before
	 */
	Instant initialize(String entry, Instant lastRun);

	/**
	 * Record a run, only if {@code owner} still holds the leader lock and the recorded
	 * last run is still {@code expected}. The scheduler sends the task only when this
	 * answers {@code true}, so two schedulers that both believe they lead never send the
	 * same run twice.
	 * @param owner the scheduler recording the run
	 * @param entry the entry name
	 * @param expected the last run the scheduler counted from
	 * @param lastRun the new last run
	 * @return whether the run was recorded
	 */
	boolean advance(String owner, String entry, Instant expected, Instant lastRun);

	/**
	 * Describe the store for logs, without any password.
	 * @return for example {@code redis://127.0.0.1:6379/0}
	 */
	String description();

	@Override
	void close();

}
