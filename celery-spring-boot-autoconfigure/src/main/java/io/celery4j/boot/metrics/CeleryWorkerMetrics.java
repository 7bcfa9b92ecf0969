package io.celery4j.boot.metrics;

import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.pool.TaskPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * Gauges of the local worker, tagged with its node name: {@code celery.worker.active}
 * (tasks running now), {@code celery.worker.prefetched} (messages held against the
 * prefetch limit) and {@code celery.worker.pool.size} (pool slots, 0 while stopped).
 */
public class CeleryWorkerMetrics implements MeterBinder {

	private final WorkerContainer worker;

	/**
	 * Create the binder.
	 * @param worker the local worker
	 */
	public CeleryWorkerMetrics(WorkerContainer worker) {
		Assert.notNull(worker, "'worker' must not be null");
		this.worker = worker;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		String node = this.worker.getOptions().nodeName();
		Gauge.builder("celery.worker.active", this.worker, (worker) -> worker.getState().getActive().size())
			.description("Tasks the worker runs now")
			.tag("worker", node)
			.register(registry);
		Gauge.builder("celery.worker.prefetched", this.worker, WorkerContainer::getPrefetched)
			.description("Messages the worker holds unacknowledged against its prefetch limit")
			.tag("worker", node)
			.register(registry);
		Gauge.builder("celery.worker.pool.size", this.worker, CeleryWorkerMetrics::poolSize)
			.description("Slots of the worker's pool, 0 while the worker is stopped")
			.tag("worker", node)
			.register(registry);
	}

	private static double poolSize(WorkerContainer worker) {
		TaskPool pool = worker.getPool();
		return (pool != null) ? pool.getSize() : 0;
	}

}
