package io.celery4j.boot.autoconfigure.worker;

import java.time.Duration;

import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.worker.NodeNames;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.WorkerStateDb;
import io.celery4j.worker.pool.PoolType;
import io.celery4j.worker.pool.TaskPools;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@code celery.worker.*} properties into {@link WorkerOptions}, failing with the
 * property's name and value on a bad value.
 */
final class WorkerOptionsFactory {

	private WorkerOptionsFactory() {
	}

	static WorkerOptions create(CeleryProperties properties) {
		CeleryProperties.Worker worker = properties.getWorker();
		validate(worker);
		Duration visibilityTimeout = properties.getBrokerTransportOptions().getVisibilityTimeout();
		if (visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("celery.broker-transport-options.visibility-timeout",
					visibilityTimeout,
					"Use a positive duration longer than the longest eta or countdown in use, such as 1h.");
		}
		Integer concurrency = worker.getConcurrency();
		int threads = (concurrency != null) ? concurrency : Runtime.getRuntime().availableProcessors();
		return new WorkerOptions(NodeNames.nodeName(worker.getName()), threads, worker.getPool(), worker.getQueues(),
				worker.getPrefetchMultiplier(), worker.getShutdownTimeout(), visibilityTimeout,
				properties.getTimezone(), worker.isSendTaskEvents(), worker.getHeartbeatInterval());
	}

	/**
	 * Return the state db of {@code celery.worker.state-db}, checked to be usable.
	 */
	static @Nullable WorkerStateDb stateDb(CeleryProperties properties, String nodeName) {
		String configured = properties.getWorker().getStateDb();
		if (configured == null || configured.isBlank()) {
			return null;
		}
		try {
			WorkerStateDb stateDb = new WorkerStateDb(WorkerStateDb.path(configured, nodeName));
			stateDb.check();
			return stateDb;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("celery.worker.state-db", configured, ex.getMessage());
		}
	}

	private static void validate(CeleryProperties.Worker worker) {
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
			throw new InvalidConfigurationPropertyValueException("celery.worker.queues",
					String.join(",", worker.getQueues()),
					"Name at least one queue to consume from, none of them blank, for example 'celery'.");
		}
		if (worker.getPrefetchMultiplier() < 0) {
			throw new InvalidConfigurationPropertyValueException("celery.worker.prefetch-multiplier",
					worker.getPrefetchMultiplier(), "Use 0 for no limit or a positive number such as 4.");
		}
		if (worker.getHeartbeatInterval().isNegative() || worker.getHeartbeatInterval().isZero()) {
			throw new InvalidConfigurationPropertyValueException("celery.worker.heartbeat-interval",
					worker.getHeartbeatInterval(), "Use a positive duration such as 2s (Celery's default).");
		}
		if (worker.getShutdownTimeout().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("celery.worker.shutdown-timeout",
					worker.getShutdownTimeout(), "Use 0 to stop without waiting or a positive duration such as 30s.");
		}
	}

}
