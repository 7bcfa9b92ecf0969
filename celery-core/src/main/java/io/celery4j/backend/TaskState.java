package io.celery4j.backend;

import java.util.Set;

/**
 * Celery's built-in task states, as the strings stored in the {@code status} field of a
 * result (PROTOCOL.md 3.2). Custom states are free strings; these constants cover the
 * built-in ones. Counterpart of {@code celery.states}.
 */
public final class TaskState {

	/** Task not known to the backend yet (also: no such task). Never stored. */
	public static final String PENDING = "PENDING";

	/** Task received by a worker (only used by events). */
	public static final String RECEIVED = "RECEIVED";

	/** Task started by a worker (only stored with track-started). */
	public static final String STARTED = "STARTED";

	/** Task succeeded. */
	public static final String SUCCESS = "SUCCESS";

	/** Task failed. */
	public static final String FAILURE = "FAILURE";

	/** Task is waiting to be retried. */
	public static final String RETRY = "RETRY";

	/** Task was revoked (before running, while running, or because it expired). */
	public static final String REVOKED = "REVOKED";

	private static final Set<String> READY = Set.of(SUCCESS, FAILURE, REVOKED);

	private static final Set<String> EXCEPTION = Set.of(FAILURE, RETRY, REVOKED);

	private TaskState() {
	}

	/**
	 * Return whether a state is final (SUCCESS, FAILURE or REVOKED).
	 * @param state the state
	 * @return whether the task is done
	 */
	public static boolean isReady(String state) {
		return READY.contains(state);
	}

	/**
	 * Return whether the result of a state is an exception record.
	 * @param state the state
	 * @return whether {@code result} holds {@code exc_type}, {@code exc_message},
	 * {@code exc_module}
	 */
	public static boolean isException(String state) {
		return EXCEPTION.contains(state);
	}

}
