package io.celery4j.backend;

import java.time.Duration;

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
	 * Delete a task's record (Celery's {@code AsyncResult.forget()}).
	 * @param taskId the task id
	 */
	void forget(String taskId);

	/**
	 * Check that the backend answers; throws when it does not.
	 */
	void ping();

	/**
	 * Return the backend URL with any password masked, for logs and health details.
	 * @return the masked URL
	 */
	String maskedUrl();

	@Override
	void close();

}
