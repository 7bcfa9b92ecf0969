package io.celery4j.worker;

/**
 * Something that runs beside a worker for as long as it runs, such as the remote control
 * mailbox ({@code io.celery4j.control.Pidbox}). Counterpart of a bootstep of Celery's
 * consumer.
 */
public interface WorkerExtension {

	/**
	 * Called when the worker starts, before it fetches its first message, such as to load
	 * saved state or to ask other workers for theirs (Celery's state db and mingle
	 * steps). May block briefly: the worker waits for it.
	 * @param worker the worker
	 */
	default void beforeConsuming(WorkerContainer worker) {
	}

	/**
	 * Called when the worker has started consuming.
	 * @param worker the worker
	 */
	void start(WorkerContainer worker);

	/**
	 * Called when the worker begins to stop, before running tasks are waited for.
	 * @param worker the worker
	 */
	void stop(WorkerContainer worker);

}
