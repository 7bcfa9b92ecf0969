package io.celery4j.boot.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.celery4j.broker.Broker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The gauge {@code celery.queue.length} (tag {@code queue}): messages waiting in each
 * queue. Lengths are sampled on a background thread at a fixed interval, so a scrape
 * reads the last sample and never waits on the broker; before the first sample, and while
 * the broker does not answer, the gauge reads NaN rather than a stale or invented value.
 */
public class CeleryQueueMetrics implements MeterBinder, AutoCloseable {

	/** How often queue lengths are sampled by default. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(CeleryQueueMetrics.class);

	private final Broker broker;

	private final Duration interval;

	private final Map<String, Sample> samples = new LinkedHashMap<>();

	private final Object monitor = new Object();

	private volatile boolean failing;

	private @Nullable ScheduledExecutorService sampler;

	/**
	 * Create the binder.
	 * @param broker the broker to ask
	 * @param queues the queues to sample
	 * @param interval the interval between samples
	 */
	public CeleryQueueMetrics(Broker broker, List<String> queues, Duration interval) {
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(queues, "'queues' must not be null");
		Assert.isTrue(interval != null && !interval.isNegative() && !interval.isZero(), "'interval' must be positive");
		this.broker = broker;
		this.interval = interval;
		queues.forEach((queue) -> this.samples.put(queue, new Sample()));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.samples.forEach((queue, sample) -> Gauge.builder("celery.queue.length", sample, Sample::value)
			.description("Messages waiting in the queue (sampled in the background)")
			.tag("queue", queue)
			.strongReference(true)
			.register(registry));
		start();
	}

	private void start() {
		synchronized (this.monitor) {
			if (this.sampler != null) {
				return;
			}
			this.sampler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "celery-queue-metrics");
				thread.setDaemon(true);
				return thread;
			});
			this.sampler.scheduleWithFixedDelay(this::sample, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Read every queue's length once now.
	 */
	public void sample() {
		try {
			this.samples.forEach((queue, sample) -> sample.value = this.broker.queueLength(queue));
			if (this.failing) {
				this.failing = false;
				logger.info("Queue lengths are sampled again from {}", this.broker.maskedUrl());
			}
		}
		catch (RuntimeException ex) {
			this.samples.values().forEach((sample) -> sample.value = Double.NaN);
			if (!this.failing) {
				this.failing = true;
				logger.warn("Queue lengths could not be read from {}: {}; celery.queue.length reads NaN until they can",
						this.broker.maskedUrl(), ex.getMessage());
			}
		}
	}

	@Override
	public void close() {
		synchronized (this.monitor) {
			if (this.sampler != null) {
				this.sampler.shutdownNow();
				this.sampler = null;
			}
		}
	}

	private static final class Sample {

		private volatile double value = Double.NaN;

		double value() {
			return this.value;
		}

	}

}
