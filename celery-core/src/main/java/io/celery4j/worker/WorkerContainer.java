package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.ResultBackend;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Delivery;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.pool.TaskPool;
import io.celery4j.worker.pool.TaskPools;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * A Celery worker that starts and stops with the application context. Counterpart of
 * Celery's {@code celery.apps.worker.Worker}.
 * <p>
 * Stopping is graceful and asynchronous: fetching stops, messages held for their eta and
 * messages received but not started go back to the queue, running tasks get
 * {@link WorkerOptions#shutdownTimeout()} to finish, then the callback runs. The message
 * path is described in this package's documentation.
 */
public class WorkerContainer implements SmartLifecycle {

	/** Late phase: start after what the worker uses, stop before it. */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private static final Logger logger = LoggerFactory.getLogger(WorkerContainer.class);

	private final Broker broker;

	private final ResultBackend backend;

	private final TaskRegistry registry;

	private final WorkerOptions options;

	private final TaskMessageCodec codec = new TaskMessageCodec();

	private final Object monitor = new Object();

	private volatile WorkerState state = new WorkerState();

	private volatile boolean running;

	private @Nullable TaskPool pool;

	private @Nullable ScheduledExecutorService timer;

	private @Nullable TaskConsumer consumer;

	private @Nullable Thread consumerThread;

	private @Nullable Semaphore prefetch;

	private volatile boolean stopping;

	public WorkerContainer(Broker broker, ResultBackend backend, TaskRegistry registry, WorkerOptions options) {
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(options, "'options' must not be null");
		this.broker = broker;
		this.backend = backend;
		this.registry = registry;
		this.options = options;
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running) {
				return;
			}
			this.stopping = false;
			this.state = new WorkerState();
			this.options.queues().forEach(this.broker::declareQueue);
			TaskPool pool = TaskPools.create(this.options.pool(), this.options.concurrency(), "celery-worker-");
			Semaphore prefetch = new Semaphore(Math.min(this.options.prefetchLimit(), Integer.MAX_VALUE / 2));
			ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "celery-eta-timer");
				thread.setDaemon(true);
				return thread;
			});
			TaskTracer tracer = new TaskTracer(this.backend, (request) -> ack(request, prefetch), this.state,
					this.options.nodeName());
			RequestDispatcher dispatcher = new RequestDispatcher(this.backend, pool, timer, tracer, this.state,
					(request) -> ack(request, prefetch), () -> this.stopping,
					(request) -> giveBack(List.of(request.getDelivery())),
					(request) -> releasePrefetchSlot(request, prefetch));
			TaskConsumer consumer = new TaskConsumer(this.broker, this.backend, this.registry, this.codec, this.options,
					this.state, dispatcher, prefetch);
			Thread thread = new Thread(consumer, "celery-consumer");
			this.pool = pool;
			this.prefetch = prefetch;
			this.timer = timer;
			this.consumer = consumer;
			this.consumerThread = thread;
			this.running = true;
			thread.start();
			logger.info("Worker {} started: transport {}, results {}, pool {}, concurrency {}, queues {}",
					this.options.nodeName(), this.broker.maskedUrl(), this.backend.maskedUrl(),
					this.options.pool().name().toLowerCase(java.util.Locale.ROOT), pool.getSize(),
					this.options.queues());
		}
	}

	private void ack(TaskRequest request, Semaphore prefetch) {
		if (request.markAcknowledged()) {
			try {
				this.broker.ack(request.getDelivery());
			}
			catch (RuntimeException ex) {
				logger.warn("Task {} could not be acknowledged ({}); it will be redelivered after the visibility "
						+ "timeout", request, ex.getMessage());
			}
			finally {
				releasePrefetchSlot(request, prefetch);
			}
		}
	}

	private static void releasePrefetchSlot(TaskRequest request, Semaphore prefetch) {
		if (request.releasePrefetchSlot()) {
			prefetch.release();
		}
	}

	@Override
	public void stop() {
		stopNow();
	}

	@Override
	public void stop(Runnable callback) {
		synchronized (this.monitor) {
			if (!this.running) {
				callback.run();
				return;
			}
		}
		Thread stopper = new Thread(() -> {
			try {
				stopNow();
			}
			finally {
				callback.run();
			}
		}, "celery-worker-stop");
		stopper.start();
	}

	private void stopNow() {
		synchronized (this.monitor) {
			if (!this.running) {
				return;
			}
			this.stopping = true;
			TaskConsumer consumer = this.consumer;
			Thread consumerThread = this.consumerThread;
			TaskPool pool = this.pool;
			ScheduledExecutorService timer = this.timer;
			Assert.state(consumer != null && consumerThread != null && pool != null && timer != null,
					"Worker was not started");
			try {
				consumer.stop();
				consumerThread.join(Duration.ofSeconds(5).toMillis());
				timer.shutdownNow();
				giveBackUnstarted(pool);
				awaitRunning(pool);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.running = false;
				logger.info("Worker {} stopped after {} task(s)", this.options.nodeName(), this.state.getProcessed());
			}
		}
	}

	private void giveBackUnstarted(TaskPool pool) {
		List<Delivery> unstarted = new ArrayList<>();
		for (TaskRequest request : this.state.getScheduled()) {
			unstarted.add(request.getDelivery());
			this.state.release(request);
		}
		for (Runnable work : pool.drainPending()) {
			if (work instanceof RequestDispatcher.PooledRequest pooled) {
				unstarted.add(pooled.request().getDelivery());
				this.state.release(pooled.request());
			}
		}
		if (!unstarted.isEmpty()) {
			logger.info("Restoring {} unacknowledged message(s)", unstarted.size());
			giveBack(unstarted);
		}
	}

	private void giveBack(List<Delivery> deliveries) {
		try {
			this.broker.restore(deliveries);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not restore {} message(s) ({}); they return after the visibility timeout",
					deliveries.size(), ex.getMessage());
		}
	}

	private void awaitRunning(TaskPool pool) throws InterruptedException {
		if (pool.shutdown(this.options.shutdownTimeout())) {
			return;
		}
		List<TaskRequest> stillRunning = this.state.getActive();
		logger.warn("Worker {} stopping with {} task(s) still running after {}: {}; interrupting them",
				this.options.nodeName(), stillRunning.size(), this.options.shutdownTimeout(), stillRunning);
		pool.interruptAll();
		pool.shutdown(Duration.ofSeconds(1));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

	/**
	 * Return the worker's options.
	 * @return the options
	 */
	public WorkerOptions getOptions() {
		return this.options;
	}

	/**
	 * Return what the worker holds and has done.
	 * @return the state of the current run
	 */
	public WorkerState getState() {
		return this.state;
	}

	/**
	 * Return the pool, while running.
	 * @return the pool or {@code null}
	 */
	public @Nullable TaskPool getPool() {
		return this.pool;
	}

	/**
	 * Return the number of messages held unacknowledged now.
	 * @return the prefetched count
	 */
	public int getPrefetched() {
		Semaphore prefetch = this.prefetch;
		return (prefetch != null)
				? Math.max(0,
						Math.min(this.options.prefetchLimit(), Integer.MAX_VALUE / 2) - prefetch.availablePermits())
				: 0;
	}

	static boolean isPast(@Nullable Instant instant) {
		return instant != null && !instant.isAfter(Instant.now());
	}

	static long millisUntil(Instant instant) {
		return Math.max(0, Duration.between(Instant.now(), instant).toMillis());
	}

	static void schedule(ScheduledExecutorService timer, Runnable work, Instant at) {
		timer.schedule(work, millisUntil(at), TimeUnit.MILLISECONDS);
	}

}
