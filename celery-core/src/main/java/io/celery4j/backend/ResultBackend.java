package io.celery4j.backend;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Stores task states and results, and lets clients wait for them. Implementations: Redis
 * (Celery's exact keys and records, PROTOCOL.md section 3), in-process memory, and
 * disabled. Counterpart of Celery's {@code celery.backends.base.Backend}.
 */
public interface ResultBackend extends AutoCloseable {

	/**
	 * Store a task's state and wake anyone waiting for it. A stored SUCCESS is never
	 * overwritten (as Celery: a redelivered task that ran twice keeps its first result).
	 * @param meta the record to store
	 */
	void store(TaskMeta meta);

	/**
	 * Read a task's record.
	 * @param taskId the task id
	 * @return the record, {@link TaskMeta#pending(String) PENDING} when none is stored
	 */
	TaskMeta get(String taskId);

	/**
	 * Wait until a task's state is ready (SUCCESS, FAILURE, REVOKED) or the timeout
	 * passes, without polling.
	 * @param taskId the task id
	 * @param timeout the most to wait
	 * @return the record at that moment, ready or not
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	TaskMeta await(String taskId, Duration timeout) throws InterruptedException;

	/**
	 * Called by the client just before it publishes a task whose result may be awaited
	 * (Celery's {@code on_task_call}). A backend that pushes results starts listening for
	 * this one now, so that a later {@link #await await} needs no round trip of its own;
	 * the Redis backend subscribes to the result's channel, as Celery's client does. Does
	 * nothing by default.
	 * @param taskId the id of the task about to be published
	 */
	default void onTaskCall(String taskId) {
	}

	/**
	 * Delete a task's record (Celery's {@code AsyncResult.forget()}).
	 * @param taskId the task id
	 */
	void forget(String taskId);

	/**
	 * Record how many header tasks a chord has, before any of them can finish (Celery's
	 * {@code set_chord_size}; on Redis {@code celery-taskset-meta-<group id>.s},
	 * PROTOCOL.md 4.4). Without it the chord never completes.
	 * @param groupId the chord header's group id
	 * @param size the number of header tasks
	 * @throws UnsupportedOperationException if the backend cannot run chords
	 */
	default void setChordSize(String groupId, int size) {
		throw new UnsupportedOperationException("Result backend " + maskedUrl() + " cannot run chords (chord " + groupId
				+ "); use a Redis result backend (celery.result-backend=redis://...)");
	}

	/**
	 * Count a finished chord header task and tell whether it completed the chord. The
	 * count is atomic across workers and languages: of all the header tasks of a chord,
	 * exactly one call, the one that counts the last member, gets the results back, so
	 * the chord body is sent once. Counterpart of Celery's {@code on_chord_part_return}
	 * up to the decision; sending the body (or storing its {@code ChordError}) is the
	 * caller's part, followed by {@link #deleteChord(String)} once the body is sent.
	 * @param part the finished header task
	 * @return every member ordered by group index when this call counted the last one,
	 * else {@code null} (also when the chord's size is not known, as in Celery)
	 * @throws UnsupportedOperationException if the backend cannot run chords; the message
	 * names the task and the chord
	 */
	default @Nullable List<ChordMember> onChordPartReturn(ChordPart part) {
		throw new UnsupportedOperationException(
				"Result backend " + maskedUrl() + " cannot run chords: task " + part.taskId() + " is a member of chord "
						+ part.groupId() + "; use a Redis result backend (celery.result-backend=redis://...)");
	}

	/**
	 * Drop the bookkeeping of a chord whose body was sent (Celery deletes the {@code .j},
	 * {@code .t} and {@code .s} keys then; a failed chord's keys are left to expire).
	 * @param groupId the chord header's group id
	 */
	default void deleteChord(String groupId) {
	}

	/**
	 * Check that the backend answers; throws when it does not.
	 */
	void ping();

	/**
	 * Return the backend URL with any password masked, for logs and health details.
	 * @return the masked URL
	 */
	String maskedUrl();

	/**
	 * Store a group's result so that any client can restore it by id (Celery's
	 * {@code GroupResult.save()}): on Redis {@code celery-taskset-meta-<group id>}
	 * holding {@code {"result": <tuple>}}, written like a task result (PROTOCOL.md 4.3).
	 * @param groupId the group id
	 * @param result the group's result tuple as plain JSON values:
	 * {@code [[group id, parent], [[[member id, parent], null], ...]]}
	 * @throws UnsupportedOperationException if the backend cannot store groups
	 */
	default void saveGroup(String groupId, Object result) {
		throw new UnsupportedOperationException("Result backend " + maskedUrl() + " cannot save group " + groupId
				+ "; use a Redis result backend (celery.result-backend=redis://...)");
	}

	/**
	 * Read a group's result saved by {@link #saveGroup} or by Python's
	 * {@code GroupResult.save()}.
	 * @param groupId the group id
	 * @return the result tuple as plain JSON values, or {@code null} when none is stored
	 * @throws UnsupportedOperationException if the backend cannot store groups
	 */
	default @Nullable Object restoreGroup(String groupId) {
		throw new UnsupportedOperationException("Result backend " + maskedUrl() + " cannot restore group " + groupId
				+ "; use a Redis result backend (celery.result-backend=redis://...)");
	}

	/**
	 * Delete a saved group result (Celery's {@code GroupResult.delete()}); the members'
	 * results stay.
	 * @param groupId the group id
	 */
	default void forgetGroup(String groupId) {
	}

	@Override
	void close();

}
