package io.celery4j.worker;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import io.celery4j.worker.pool.PoolType;

import org.springframework.util.Assert;

/**
 * Settings of one worker. Counterpart of Celery's {@code worker_*} settings and the
 * {@code celery worker} command-line options.
 *
 * @param nodeName node name, for example {@code celery@host} ({@code -n})
 * @param concurrency how many tasks run at once ({@code -c})
 * @param pool the execution pool ({@code -P})
 * @param queues queues to consume from ({@code -Q})
 * @param prefetchMultiplier messages reserved per pool slot; 0 means no limit
 * @param shutdownTimeout how long a stop waits for running tasks
 * @param visibilityTimeout age after which an unacknowledged message of a dead worker is
 * given back to its queue
 * @param timezone zone for dates written without an offset
 * @param sendTaskEvents whether {@code task-*} events are sent ({@code -E})
 * @param heartbeatInterval how often {@code worker-heartbeat} events are sent
 */
public record WorkerOptions(String nodeName, int concurrency, PoolType pool, List<String> queues,
		int prefetchMultiplier, Duration shutdownTimeout, Duration visibilityTimeout, ZoneId timezone,
		boolean sendTaskEvents, Duration heartbeatInterval) {

	/** Celery's heartbeat interval ({@code freq} 2.0). */
	public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

	public WorkerOptions {
		Assert.hasText(nodeName, "'nodeName' must not be empty");
		Assert.isTrue(concurrency > 0, "'concurrency' must be positive");
		Assert.notNull(pool, "'pool' must not be null");
		Assert.notEmpty(queues, "'queues' must not be empty");
		Assert.isTrue(prefetchMultiplier >= 0, "'prefetchMultiplier' must not be negative");
		Assert.isTrue(heartbeatInterval != null && !heartbeatInterval.isNegative() && !heartbeatInterval.isZero(),
				"'heartbeatInterval' must be positive");
		queues = List.copyOf(queues);
	}

	/**
	 * Create options without task events and with Celery's heartbeat interval.
	 * @param nodeName node name ({@code -n})
	 * @param concurrency how many tasks run at once ({@code -c})
	 * @param pool the execution pool ({@code -P})
	 * @param queues queues to consume from ({@code -Q})
	 * @param prefetchMultiplier messages reserved per pool slot; 0 means no limit
	 * @param shutdownTimeout how long a stop waits for running tasks
	 * @param visibilityTimeout age after which an unacknowledged message of a dead worker
	 * is given back to its queue
	 * @param timezone zone for dates written without an offset
	 */
	public WorkerOptions(String nodeName, int concurrency, PoolType pool, List<String> queues, int prefetchMultiplier,
			Duration shutdownTimeout, Duration visibilityTimeout, ZoneId timezone) {
		this(nodeName, concurrency, pool, queues, prefetchMultiplier, shutdownTimeout, visibilityTimeout, timezone,
				false, DEFAULT_HEARTBEAT_INTERVAL);
	}

	/**
	 * Return these options with task events on or off.
	 * @param sendTaskEvents whether {@code task-*} events are sent
	 * @return new options
	 */
	public WorkerOptions withSendTaskEvents(boolean sendTaskEvents) {
		return new WorkerOptions(this.nodeName, this.concurrency, this.pool, this.queues, this.prefetchMultiplier,
				this.shutdownTimeout, this.visibilityTimeout, this.timezone, sendTaskEvents, this.heartbeatInterval);
	}

	/**
	 * Return these options with another heartbeat interval.
	 * @param heartbeatInterval how often {@code worker-heartbeat} events are sent
	 * @return new options
	 */
	public WorkerOptions withHeartbeatInterval(Duration heartbeatInterval) {
		return new WorkerOptions(this.nodeName, this.concurrency, this.pool, this.queues, this.prefetchMultiplier,
				this.shutdownTimeout, this.visibilityTimeout, this.timezone, this.sendTaskEvents, heartbeatInterval);
	}

	/**
	 * Return how many messages the worker may hold unacknowledged at once: prefetch
	 * multiplier times the pool size, as Celery computes its prefetch count.
	 * @return the limit, or {@link Integer#MAX_VALUE} when unlimited
	 */
	public int prefetchLimit() {
		int slots = (this.pool == PoolType.SOLO) ? 1 : this.concurrency;
		return (this.prefetchMultiplier == 0) ? Integer.MAX_VALUE : this.prefetchMultiplier * slots;
	}

}
