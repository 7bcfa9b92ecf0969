package io.celery4j.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.ResultBackend;
import io.celery4j.broker.Broker;
import io.celery4j.broker.redis.RedisBroker;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.RateLimit;
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
 * {@link WorkerOptions#shutdownTimeout()} to finish, then the callback runs. Tasks still
 * running after the timeout are interrupted: an acks-late task's message goes back to the
 * queue, an early-acked task that fails because of the interrupt is stored as FAILURE
 * {@code WorkerLostError}. The worker can be started again after a stop. The message path
 * is described in this package's documentation.
 */
public class WorkerContainer implements SmartLifecycle {

	/** Late phase: start after what the worker uses, stop before it. */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private static final Logger logger = LoggerFactory.getLogger(WorkerContainer.class);

	/** Longer than a fetch, which blocks at most one second. */
	private static final Duration CONSUMER_STOP_TIMEOUT = Duration.ofSeconds(10);

	/** How long interrupted tasks get to end before the stop stops waiting for them. */
	private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(1);

	private final Broker broker;

	private final ResultBackend backend;

	private final TaskRegistry registry;

	private final WorkerOptions options;

	private final TaskMessageCodec codec = new TaskMessageCodec();

	private final Object monitor = new Object();

	private volatile WorkerState state = new WorkerState();

	private volatile @Nullable Run run;

	private volatile boolean stopping;

	private final List<WorkerObserver> observers = new CopyOnWriteArrayList<>();

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
			if (this.run != null) {
				return;
			}
			this.stopping = false;
			WorkerState state = new WorkerState();
			TaskPool pool = TaskPools.create(this.options.pool(), this.options.concurrency(), "celery-worker-");
			Qos qos = new Qos(this.broker, this.options.prefetchLimit());
			ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread thread = new Thread(runnable, "celery-eta-timer");
				thread.setDaemon(true);
				return thread;
			});
			// A stop cancels the waiting timers (their requests are given back from the
			// scheduled set) but lets a running one finish: interrupting it could cut a
			// Redis call short.
			timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			timer.setRemoveOnCancelPolicy(true);
			WorkerObservers observers = new WorkerObservers(this.observers);
			TimeLimitSupervisor timeLimits = new TimeLimitSupervisor(timer, (request, thread) -> pool.replace(thread));
			TaskTracer tracer = new TaskTracer(this.backend, qos, state, this.options.nodeName(), observers,
					timeLimits);
			RequestDispatcher dispatcher = new RequestDispatcher(this.backend, pool, timer, tracer, state, qos,
					() -> this.stopping, observers, this::tokenBucket);
			TaskConsumer consumer = new TaskConsumer(this.broker, this.backend, this.registry, this.codec, this.options,
					qos, dispatcher, observers);
			Thread consumerThread = new Thread(consumer, "celery-consumer");
			this.state = state;
			this.run = new Run(pool, timer, qos, consumer, consumerThread);
			consumerThread.start();
			logger.info("Worker {} started: transport {}, results {}, pool {}, concurrency {}, queues {}",
					this.options.nodeName(), this.broker.maskedUrl(), this.backend.maskedUrl(),
					this.options.pool().name().toLowerCase(Locale.ROOT), pool.getSize(), this.options.queues());
		}
	}

	private TokenBucket tokenBucket(String taskName, RateLimit limit) {
		if (limit.scope() == RateLimit.Scope.GLOBAL && this.broker instanceof RedisBroker redis) {
			return new RedisTokenBucket(redis.getConnectionFactory(), taskName, limit);
		}
		// Per worker as in Celery; a global limit on memory:// has only this worker to
		// share with.
		return new TokenBucket.Local(limit.perSecond());
	}

	@Override
	public void stop() {
		stopNow();
	}

	@Override
	public void stop(Runnable callback) {
		if (!isRunning()) {
			callback.run();
			return;
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
			Run run = this.run;
			if (run == null) {
				return;
			}
			this.stopping = true;
			try {
				run.consumer().stop();
				run.consumerThread().join(CONSUMER_STOP_TIMEOUT.toMillis());
				if (run.consumerThread().isAlive()) {
					logger.warn("Worker {}: the broker did not answer within {}; what it still delivers goes back "
							+ "to the queue", this.options.nodeName(), CONSUMER_STOP_TIMEOUT);
				}
				run.timer().shutdown();
				run.timer().awaitTermination(CONSUMER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				giveBackUnstarted(run);
				awaitRunning(run);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.run = null;
				logger.info("Worker {} stopped after {} task(s)", this.options.nodeName(), this.state.getProcessed());
			}
		}
	}

	private void giveBackUnstarted(Run run) {
		List<TaskRequest> unstarted = new ArrayList<>(this.state.getScheduled());
		for (Runnable work : run.pool().drainPending()) {
			if (work instanceof RequestDispatcher.PooledRequest pooled) {
				unstarted.add(pooled.request());
			}
		}
		unstarted.forEach(this.state::release);
		if (!unstarted.isEmpty()) {
			logger.info("Restoring {} unacknowledged message(s)", unstarted.size());
			run.qos().giveBack(unstarted);
		}
	}

	private void awaitRunning(Run run) throws InterruptedException {
		if (run.pool().shutdown(this.options.shutdownTimeout())) {
			return;
		}
		List<TaskRequest> running = this.state.getActive();
		logger.warn("Worker {} interrupts {} task(s) still running after the shutdown timeout {}: {}",
				this.options.nodeName(), running.size(), this.options.shutdownTimeout(), running);
		running.forEach(TaskRequest::interruptByShutdown);
		if (run.pool().shutdown(INTERRUPT_GRACE)) {
			return;
		}
		List<TaskRequest> stuck = this.state.getActive();
		// Their threads go on in the background; acks-late messages go back now so that
		// another worker runs them (as a cold shutdown of Celery restores them).
		run.qos().giveBack(stuck.stream().filter((request) -> request.getTask().options().acksLate()).toList());
		logger.warn("Worker {} stopped with {} task(s) ignoring the interrupt: {}", this.options.nodeName(),
				stuck.size(), stuck);
	}

	@Override
	public boolean isRunning() {
		return this.run != null;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

	/**
	 * Add an observer of the message path; it sees the runs that start after this call.
	 * @param observer the observer
	 */
	public void addObserver(WorkerObserver observer) {
		Assert.notNull(observer, "'observer' must not be null");
		this.observers.add(observer);
	}

	/**
	 * Return the observers of the message path, in registration order.
	 * @return the observers
	 */
	public List<WorkerObserver> getObservers() {
		return List.copyOf(this.observers);
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
		Run run = this.run;
		return (run != null) ? run.pool() : null;
	}

	/**
	 * Return the number of messages held unacknowledged now that count against the
	 * prefetch limit (messages held for their eta do not).
	 * @return the prefetched count, 0 when stopped
	 */
	public int getPrefetched() {
		Run run = this.run;
		return (run != null) ? run.qos().getPrefetched() : 0;
	}

	/**
	 * What one start of the worker runs on.
	 */
	private record Run(TaskPool pool, ScheduledExecutorService timer, Qos qos, TaskConsumer consumer,
			Thread consumerThread) {

	}

}
