package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
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
 * limit, decode, reject what cannot run, hand the rest to the dispatcher. Counterpart of
 * Celery's {@code celery.worker.consumer} and the receiving half of
 * {@code celery.worker.strategy}.
 * <p>
 * Nothing a message contains stops the loop: every delivery ends as a request, or is
 * logged once and rejected. Broker failures are retried with back-off, logged once when
 * the broker is lost and once when it is back.
 */
final class TaskConsumer implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(TaskConsumer.class);

	private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration RESTORE_INTERVAL = Duration.ofSeconds(60);

	private final Broker broker;

	private final ResultBackend backend;

	private final TaskRegistry registry;

	private final TaskMessageCodec codec;

	private final WorkerOptions options;

	private final Qos qos;

	private final Dispatcher dispatcher;

	private final BrokerConnectionState connection;

	private final WorkerObserver observer;

	private final List<String> queues;

	private final Set<String> declared = new HashSet<>();

	private final CountDownLatch stopSignal = new CountDownLatch(1);

	private volatile boolean running = true;

	private Instant nextRestore = Instant.EPOCH;

	TaskConsumer(Broker broker, ResultBackend backend, TaskRegistry registry, TaskMessageCodec codec,
			WorkerOptions options, Qos qos, Dispatcher dispatcher, WorkerObserver observer, List<String> queues) {
		this.broker = broker;
		this.backend = backend;
		this.registry = registry;
		this.codec = codec;
		this.options = options;
		this.qos = qos;
		this.dispatcher = dispatcher;
		this.observer = observer;
		this.queues = queues;
		this.connection = new BrokerConnectionState(broker.maskedUrl());
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				consumeOnce();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | Error ex) {
			logger.error("Worker {} stopped consuming after an unexpected error; no more messages are fetched",
					this.options.nodeName(), ex);
			throw ex;
		}
	}

	private void consumeOnce() throws InterruptedException {
		int reserved = this.qos.reserve(FETCH_TIMEOUT);
		if (reserved == 0) {
			return;
		}
		List<Delivery> deliveries = List.of();
		try {
			deliveries = fetch(reserved);
		}
		finally {
			this.qos.fetched(reserved, deliveries.size());
		}
		if (!this.running) {
			// Stopped while fetching: these never become requests, the queue gets them
			// back.
			this.qos.giveBackDeliveries(deliveries);
			return;
		}
		deliveries.forEach(this::receive);
		if (deliveries.isEmpty() && !this.connection.isUp()) {
			this.stopSignal.await(this.connection.nextBackoff().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private List<Delivery> fetch(int max) throws InterruptedException {
		try {
			List<String> queues = List.copyOf(this.queues);
			if (queues.isEmpty()) {
				// Every queue was cancelled by remote control: wait for add_consumer.
				this.stopSignal.await(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				return List.of();
			}
			declareQueues(queues);
			restoreExpiredWhenDue();
			List<Delivery> deliveries = this.broker.fetch(queues, max, FETCH_TIMEOUT);
			this.connection.succeeded();
			return deliveries;
		}
		catch (RuntimeException ex) {
			this.connection.failed(ex);
			return List.of();
		}
	}

	/**
	 * Stop fetching; a fetch under way finishes and what it returns is given back.
	 */
	void stop() {
		this.running = false;
		this.stopSignal.countDown();
	}

	private void declareQueues(List<String> queues) {
		for (String queue : queues) {
			if (!this.declared.contains(queue)) {
				this.broker.declareQueue(queue);
				this.declared.add(queue);
			}
		}
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
		try {
			TaskRequest request = toRequest(delivery);
			if (request != null) {
				logger.debug("Task {} received", request);
				this.dispatcher.dispatch(request);
			}
		}
		catch (RuntimeException ex) {
			// A defect, not a bad message (those are handled above): log it with its
			// trace and reject, so that the same message does not come back forever.
			logger.error("Message with delivery tag {} from queue '{}' could not be handled; rejected",
					delivery.deliveryTag(), delivery.queue(), ex);
			this.qos.reject(delivery);
			this.observer.onRejected(delivery, null, "Could not be handled: " + ex);
		}
	}

	private @Nullable TaskRequest toRequest(Delivery delivery) {
		TaskMessage message;
		try {
			message = this.codec.decode(delivery.envelope(), delivery.takeParsedEnvelope());
		}
		catch (InvalidTaskException ex) {
			logger.warn("{} [queue '{}', delivery tag {}]", ex.getMessage(), delivery.queue(), delivery.deliveryTag());
			this.qos.reject(delivery);
			this.observer.onRejected(delivery, null, String.valueOf(ex.getMessage()));
			return null;
		}
		TaskDefinition task = this.registry.find(message.taskName());
		if (task == null) {
			logger.warn("Received unregistered task of type '{}' (message {}); rejected", message.taskName(),
					message.id());
			storeQuietly(TaskResults.notRegistered(message.headers()), message);
			this.qos.reject(delivery);
			this.observer.onRejected(delivery, message,
					"Received unregistered task of type '" + message.taskName() + "'");
			return null;
		}
		try {
			Instant eta = parseDate(message, "eta", message.headers().eta());
			Instant expires = parseDate(message, "expires", message.headers().expires());
			return new TaskRequest(delivery, message, task, eta, expires);
		}
		catch (InvalidTaskException ex) {
			logger.warn("{}", ex.getMessage());
			this.qos.reject(delivery);
			this.observer.onRejected(delivery, message, String.valueOf(ex.getMessage()));
			return null;
		}
	}

	private @Nullable Instant parseDate(TaskMessage message, String header, @Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return CeleryDates.parse(value, this.options.timezone());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTaskException(message.id(), "Rejected message " + message.id() + " of task '"
					+ message.taskName() + "': " + header + " " + ex.getMessage() + ".");
		}
	}

	private void storeQuietly(TaskMeta meta, TaskMessage message) {
		if (message.headers().ignoreResult()) {
			return;
		}
		try {
			this.backend.store(meta);
		}
		catch (RuntimeException ex) {
			logger.error("Result {} of message {} could not be stored in {}: {}", meta.status(), message.id(),
					this.backend.maskedUrl(), ex.getMessage());
		}
	}

	/**
	 * Receives requests that passed the consumer's checks.
	 */
	@FunctionalInterface
	interface Dispatcher {

		void dispatch(TaskRequest request);

	}

}
