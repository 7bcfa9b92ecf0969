package io.celery4j.backend;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The backend used when results are turned off ({@code celery.result-backend=disabled},
 * Celery's {@code DisabledBackend}): nothing is stored, every task reads as PENDING, and
 * waiting for a result fails at once with an explanation instead of hanging until its
 * timeout.
 */
public final class DisabledResultBackend implements ResultBackend {

	/** What {@link #maskedUrl()} returns and what {@code celery.result-backend} takes. */
	public static final String URL = "disabled";

	private static final String NO_CHORDS = "chords need a result backend to count their header tasks and "
			+ "celery.result-backend is '" + URL + "'. Set celery.result-backend to redis://host:port/db.";

	private static final String NO_GROUPS = "no result backend is configured (celery.result-backend is '" + URL
			+ "'). Set celery.result-backend to redis://host:port/db (or memory:// inside one JVM).";

	@Override
	public void store(TaskMeta meta) {
		Assert.notNull(meta, "'meta' must not be null");
	}

	@Override
	public TaskMeta get(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		return TaskMeta.pending(taskId);
	}

	/**
	 * Always fails: with no backend a result never arrives.
	 * @throws IllegalStateException always, naming the task and the property to set
	 */
	@Override
	public TaskMeta await(String taskId, Duration timeout) {
		throw new IllegalStateException("Cannot wait for the result of task " + taskId
				+ ": no result backend is configured (celery.result-backend is '" + URL
				+ "'). Set celery.result-backend to redis://host:port/db (or memory:// inside one JVM).");
	}

	/**
	 * Always fails: a chord needs a backend to count its header tasks.
	 * @throws IllegalStateException always, naming the chord and the property to set
	 */
	@Override
	public void setChordSize(String groupId, int size) {
		throw new IllegalStateException("Cannot run chord " + groupId + ": " + NO_CHORDS);
	}

	/**
	 * Always fails: without a backend the header tasks cannot be counted, so the body
	 * would never run.
	 * @throws IllegalStateException always, naming the task, the chord and the property
	 * to set
	 */
	@Override
	public @Nullable List<ChordMember> onChordPartReturn(ChordPart part) {
		throw new IllegalStateException("Task " + part.taskId() + " is a member of chord " + part.groupId()
				+ ", whose body cannot run: " + NO_CHORDS);
	}

	/**
	 * Always fails: with no backend a group cannot be saved for later.
	 * @throws IllegalStateException always, naming the group and the property to set
	 */
	@Override
	public void saveGroup(String groupId, Object result) {
		throw new IllegalStateException("Cannot save group " + groupId + ": " + NO_GROUPS);
	}

	/**
	 * Always fails: with no backend no group was saved.
	 * @throws IllegalStateException always, naming the group and the property to set
	 */
	@Override
	public @Nullable Object restoreGroup(String groupId) {
		throw new IllegalStateException("Cannot restore group " + groupId + ": " + NO_GROUPS);
	}

	@Override
	public void forget(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
	}

	@Override
	public void ping() {
	}

	@Override
	public String maskedUrl() {
		return URL;
	}

	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "DisabledResultBackend";
	}

}
