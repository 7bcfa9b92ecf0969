package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.ResultBackend;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Delivery;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.protocol.InvalidTaskException;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop and the first steps of the message path: fetch while below the prefetch
 * limit, decode, reject what cannot run, hold eta messages, hand the rest to the
 * dispatcher. Counterpart of Celery's {@code celery.worker.consumer} and
 * {@code celery.worker.strategy}.
 */
final class TaskConsumer implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(TaskConsumer.class);

	private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration RESTORE_INTERVAL = Duration.ofSeconds(60);

	private static final int MAX_BATCH = 64;

	private final Broker broker;

	private final ResultBackend backend;

	private final TaskRegistry registry;

	private final TaskMessageCodec codec;

	private final WorkerOptions options;

	private final WorkerState state;

	private final Dispatcher dispatcher;

	private final Semaphore prefetch;

	private final BrokerConnectionState connection;

	private volatile boolean running = true;

	private Instant nextRestore = Instant.EPOCH;

	TaskConsumer(Broker broker, ResultBackend backend, TaskRegistry registry, TaskMessageCodec codec,
			WorkerOptions options, WorkerState state, Dispatcher dispatcher, Semaphore prefetch) {
		this.broker = broker;
		this.backend = backend;
		this.registry = registry;
		this.codec = codec;
		this.options = options;
		this.state = state;
		this.dispatcher = dispatcher;
		this.prefetch = prefetch;
		this.connection = new BrokerConnectionState(broker.maskedUrl());
	}

	@Override
	public void run() {
		while (this.running) {
			int permits = acquirePermits();
			if (permits == 0) {
				continue;
			}
			List<Delivery> deliveries = List.of();
			try {
				restoreExpiredWhenDue();
				deliveries = this.broker.fetch(this.options.queues(), permits, FETCH_TIMEOUT);
				this.connection.succeeded();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.running = false;
			}
			catch (RuntimeException ex) {
				this.connection.failed(ex);
			}
			this.prefetch.release(permits - deliveries.size());
			for (Delivery delivery : deliveries) {
				receive(delivery);
			}
			if (!deliveries.isEmpty() || this.connection.isUp()) {
				continue;
			}
			this.connection.backOff();
		}
	}

	void stop() {
		this.running = false;
	}

	private int acquirePermits() {
		try {
			if (!this.prefetch.tryAcquire(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				return 0;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
			return 0;
		}
		int more = Math.min(this.prefetch.availablePermits(), MAX_BATCH - 1);
		return 1 + (this.prefetch.tryAcquire(more) ? more : 0);
	}

	private void restoreExpiredWhenDue() {
		Instant now = Instant.now();
		if (now.isBefore(this.nextRestore)) {
			return;
		}
		this.nextRestore = now.plus(RESTORE_INTERVAL);
		int restored = this.broker.restoreExpired(this.options.visibilityTimeout());
		if (restored > 0) {
			logger.warn("Restored {} unacknowledged message(s) older than the visibility timeout {}", restored,
					this.options.visibilityTimeout());
		}
	}

	private void receive(Delivery delivery) {
		TaskMessage message;
		try {
			message = this.codec.decode(delivery.envelope());
		}
		catch (InvalidTaskException ex) {
			logger.warn("{} (queue '{}'); rejected", ex.getMessage(), delivery.queue());
			discard(delivery);
			return;
		}
		TaskDefinition task = this.registry.find(message.taskName());
		if (task == null) {
			logger.error("Received unregistered task of type '{}' (message {}); rejected", message.taskName(),
					message.id());
			storeQuietly(TaskResults.notRegistered(message.headers()), message);
			discard(delivery);
			return;
		}
		Instant eta;
		Instant expires;
		try {
			eta = parseDate(message.headers().eta());
			expires = parseDate(message.headers().expires());
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Rejected message {} of task '{}': {}", message.id(), message.taskName(), ex.getMessage());
			discard(delivery);
			return;
		}
		this.dispatcher.dispatch(new TaskRequest(delivery, message, task, eta, expires));
	}

	private @Nullable Instant parseDate(@Nullable String value) {
		return (value != null) ? CeleryDates.parse(value, this.options.timezone()) : null;
	}

	private void storeQuietly(io.celery4j.backend.TaskMeta meta, TaskMessage message) {
		if (message.headers().ignoreResult()) {
			return;
		}
		try {
			this.backend.store(meta);
		}
		catch (RuntimeException ex) {
			logger.error("Result {} of message {} could not be stored: {}", meta.status(), message.id(),
					ex.getMessage());
		}
	}

	private void discard(Delivery delivery) {
		// Reject without requeue is an ack in kombu: the message is logged above, not
		// kept.
		try {
			this.broker.ack(delivery);
		}
		finally {
			this.prefetch.release();
		}
	}

	/**
	 * Receives requests that passed the consumer's checks.
	 */
	@FunctionalInterface
	interface Dispatcher {

		void dispatch(TaskRequest request);

	}

	WorkerState getState() {
		return this.state;
	}

}
