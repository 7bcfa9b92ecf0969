package io.celery4j.boot.autoconfigure.worker;

import io.celery4j.worker.WorkerContainer;

/**
 * Callback to customize the auto-configured {@link WorkerContainer} before it starts.
 */
@FunctionalInterface
public interface WorkerContainerCustomizer {

	/**
	 * Customize the worker.
	 * @param worker the worker to customize
	 */
	void customize(WorkerContainer worker);

}
