package io.celery4j.boot.autoconfigure.worker;

import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.worker.NodeNames;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.PoolType;
import io.celery4j.worker.pool.TaskPools;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@code celery.worker.*} properties into {@link WorkerOptions}, failing with the
 * property's name on a bad value.
 */
final class WorkerOptionsFactory {

	private WorkerOptionsFactory() {
	}

	static WorkerOptions create(CeleryProperties properties) {
		CeleryProperties.Worker worker = properties.getWorker();
		Integer concurrency = worker.getConcurrency();
		if (concurrency != null && concurrency < 1) {
			throw new InvalidConfigurationPropertyValueException("celery.worker.concurrency", concurrency,
					"Concurrency must be at least 1; leave it unset for the number of available processors.");
		}
		if (worker.getPool() == PoolType.VIRTUAL && !TaskPools.virtualThreadsAvailable()) {
			throw new InvalidConfigurationPropertyValueException("celery.worker.pool", "virtual",
					"Virtual threads need Java 21 or later (running " + Runtime.version().feature()
							+ "). Use 'threads' or a newer JVM.");
		}
		if (worker.getQueues().isEmpty() || worker.getQueues().stream().anyMatch(String::isBlank)) {
			throw new InvalidConfigurationPropertyValueException("celery.worker.queues", worker.getQueues(),
					"Name at least one queue, none of them blank.");
		}
		if (worker.getPrefetchMultiplier() < 0) {
			throw new InvalidConfigurationPropertyValueException("celery.worker.prefetch-multiplier",
					worker.getPrefetchMultiplier(), "Use 0 for no limit or a positive number.");
		}
		int threads = (concurrency != null) ? concurrency : Runtime.getRuntime().availableProcessors();
		return new WorkerOptions(NodeNames.nodeName(worker.getName()), threads, worker.getPool(), worker.getQueues(),
				worker.getPrefetchMultiplier(), worker.getShutdownTimeout(),
				properties.getBrokerTransportOptions().getVisibilityTimeout(), properties.getTimezone());
	}

}
