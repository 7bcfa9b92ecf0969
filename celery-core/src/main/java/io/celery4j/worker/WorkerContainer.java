package io.celery4j.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.broker.Broker;
import io.celery4j.broker.redis.RedisBroker;
import io.celery4j.events.EventDispatcher;
import io.celery4j.events.Fanout;
import io.celery4j.events.LamportClock;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
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
 * running after the timeout are interrupted and have lost their worker, as in Celery: an
 * acks-late task with reject-on-worker-lost has its message given back to the queue, any
 * other is stored as FAILURE {@code WorkerLostError} (unless it still returns a value)
 * and acknowledged. The worker can be started again after a stop. The message path is
 * described in this package's documentation.
 */
public class WorkerContainer implements SmartLifecycle {

	/** Celery's {@code task_default_queue}, where canvas messages go unless routed. */
	private static final String DEFAULT_QUEUE = "celery";

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

	private final LamportClock clock = new LamportClock();

	private final RevokedTasks revoked = new RevokedTasks();

	private final List<String> queues;

	private final List<WorkerExtension> extensions = new CopyOnWriteArrayList<>();

	private volatile @Nullable EventDispatcher events;

	private volatile TaskRouter router;

	public WorkerContainer(Broker broker, ResultBackend backend, TaskRegistry registry, WorkerOptions options) {
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(options, "'options' must not be null");
		this.broker = broker;
		this.backend = backend;
		this.registry = registry;
		this.options = options;
		this.queues = new CopyOnWriteArrayList<>(options.queues());
		this.router = new TaskRouter(Map.of(), registry, DEFAULT_QUEUE);
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
			EventDispatcher events = eventDispatcher();
			List<WorkerObserver> runObservers = new ArrayList<>(this.observers);
			if (events != null && this.options.sendTaskEvents()) {
				runObservers.add(new TaskEvents(events, this.registry));
			}
			WorkerObservers observers = new WorkerObservers(runObservers);
			TimeLimitSupervisor timeLimits = new TimeLimitSupervisor(timer, (request, thread) -> pool.replace(thread));
			CanvasCallbacks canvas = new CanvasCallbacks(this.backend,
					new CanvasSender(this.broker, this.codec, this.router, this.options.timezone()),
					this.options.nodeName());
			TaskTracer tracer = new TaskTracer(this.backend, qos, state, this.options.nodeName(), observers,
					new TaskRetries(this.broker, this.codec), timeLimits, canvas);
			RequestDispatcher dispatcher = new RequestDispatcher(this.backend, pool, timer, tracer, state, qos,
					() -> this.stopping, this.revoked, observers, this::tokenBucket, canvas);
			TaskConsumer consumer = new TaskConsumer(this.broker, this.backend, this.registry, this.codec, this.options,
					qos, dispatcher, observers, this.queues);
			Thread consumerThread = new Thread(consumer, "celery-consumer");
			WorkerEvents workerEvents = (events != null) ? new WorkerEvents(events, this.options.heartbeatInterval())
					: null;
			this.state = state;
			this.run = new Run(pool, timer, qos, consumer, consumerThread, dispatcher, workerEvents);
			// Revoked ids from the state db and from other workers (mingle) are known
			// before the first message is fetched.
			this.extensions.forEach(this::prepareExtension);
			consumerThread.start();
			if (workerEvents != null) {
				workerEvents.online(state);
				long interval = this.options.heartbeatInterval().toMillis();
				timer.scheduleAtFixedRate(() -> workerEvents.heartbeat(state), interval, interval,
						TimeUnit.MILLISECONDS);
			}
			for (WorkerExtension extension : this.extensions) {
				startExtension(extension);
			}
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
			stopExtensions();
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
				if (run.workerEvents() != null) {
					run.workerEvents().offline(this.state);
				}
				logger.info("Worker {} stopped after {} task(s)", this.options.nodeName(), this.state.getProcessed());
			}
		}
	}

	private @Nullable EventDispatcher eventDispatcher() {
		if (this.events == null) {
			try {
				this.events = new EventDispatcher(Fanout.of(this.broker), this.options.nodeName(), this.clock);
			}
			catch (IllegalArgumentException ex) {
				logger.info("Worker {} sends no events: {}", this.options.nodeName(), ex.getMessage());
			}
		}
		return this.events;
	}

	private void startExtension(WorkerExtension extension) {
		try {
			extension.start(this);
		}
		catch (RuntimeException ex) {
			// Like the fetch loop, the worker runs on while the broker is away; only the
			// extension (for example remote control) is missing.
			logger.warn("Worker {}: {} did not start: {}", this.options.nodeName(), extension, ex.getMessage());
		}
	}

	private void prepareExtension(WorkerExtension extension) {
		try {
			extension.beforeConsuming(this);
		}
		catch (RuntimeException ex) {
			logger.warn("Worker {}: {} did not prepare: {}", this.options.nodeName(), extension, ex.getMessage());
		}
	}

	private void stopExtensions() {
		for (WorkerExtension extension : this.extensions) {
			try {
				extension.stop(this);
			}
			catch (RuntimeException ex) {
				logger.warn("Worker {}: {} did not stop cleanly: {}", this.options.nodeName(), extension,
						ex.getMessage());
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
		// Their threads go on in the background. The worker is lost for them: with
		// reject-on-worker-lost their messages go back now so that another worker runs
		// them, else they fail with WorkerLostError and are acknowledged, as in Celery.
		run.qos().giveBack(stuck.stream().filter(TaskTracer::isRejectedOnWorkerLost).toList());
		for (TaskRequest request : stuck) {
			if (!TaskTracer.isRejectedOnWorkerLost(request) && !request.isSettled()) {
				storeWorkerLost(request);
				run.qos().ack(request);
			}
		}
		logger.warn("Worker {} stopped with {} task(s) ignoring the interrupt: {}", this.options.nodeName(),
				stuck.size(), stuck);
	}

	private void storeWorkerLost(TaskRequest request) {
		boolean ignored = request.getTask().options().ignoreResult() || request.getMessage().headers().ignoreResult();
		if (ignored && !request.getTask().options().storeErrorsEvenIfIgnored()) {
			return;
		}
		ExceptionInfo lost = TaskResults.workerLost(this.options.nodeName());
		try {
			this.backend.store(TaskResults.failure(request.getMessage().headers(), lost, null));
		}
		catch (RuntimeException ex) {
			logger.error("Task {} result FAILURE could not be stored in {}: {}", request, this.backend.maskedUrl(),
					ex.getMessage());
		}
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
	 * Set how the tasks this worker sends for a canvas (callbacks, chain steps, errbacks,
	 * chord bodies) are routed when their signature names no queue; by default only a
	 * task's own queue applies, else Celery's default queue {@code celery}. Applies to
	 * runs that start after this call.
	 * @param router the router, usually the client's ({@code celery.task.routes})
	 */
	public void setTaskRouter(TaskRouter router) {
		Assert.notNull(router, "'router' must not be null");
		this.router = router;
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
	 * Add something that starts after the worker started consuming and stops when the
	 * worker begins to stop, such as the remote control mailbox. Add extensions before
	 * {@link #start()}.
	 * @param extension the extension
	 */
	public void addExtension(WorkerExtension extension) {
		Assert.notNull(extension, "'extension' must not be null");
		this.extensions.add(extension);
	}

	/**
	 * Return the extensions, in registration order.
	 * @return the extensions
	 */
	public List<WorkerExtension> getExtensions() {
		return List.copyOf(this.extensions);
	}

	/**
	 * Revoke tasks (the {@code revoke} remote control command): their ids are remembered
	 * for 3 hours, a queued or scheduled request with such an id is discarded as REVOKED
	 * when it comes up. With {@code terminate}, a running request is stored as REVOKED
	 * {@code terminated} at once and its thread interrupted: Java cannot kill a thread,
	 * so a task that ignores the interrupt runs on in the background while a new pool
	 * thread takes its slot after one second.
	 * @param taskIds the task ids
	 * @param terminate whether to terminate requests held now
	 * @param signum the signal Celery would send (15 for SIGTERM), reported in the
	 * {@code task-revoked} event
	 * @return the ids of the requests held now that were terminated
	 */
	public List<String> revoke(Collection<String> taskIds, boolean terminate, int signum) {
		this.revoked.addAll(taskIds);
		Run run = this.run;
		if (!terminate || run == null) {
			return List.of();
		}
		List<String> terminated = new ArrayList<>();
		for (String taskId : new LinkedHashSet<>(taskIds)) {
			for (TaskRequest request : this.state.find(taskId)) {
				if (run.dispatcher().terminate(request, signum)) {
					terminated.add(taskId);
					break;
				}
			}
		}
		return terminated;
	}

	/**
	 * Start consuming from another queue (the {@code add_consumer} remote control
	 * command).
	 * @param queue the queue
	 * @return {@code false} if the worker consumed from it already
	 */
	public boolean addQueue(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		synchronized (this.queues) {
			if (this.queues.contains(queue)) {
				return false;
			}
			this.queues.add(queue);
			return true;
		}
	}

	/**
	 * Stop consuming from a queue (the {@code cancel_consumer} remote control command);
	 * what was received from it already still runs.
	 * @param queue the queue
	 * @return whether the worker consumed from it
	 */
	public boolean cancelQueue(String queue) {
		return this.queues.remove(queue);
	}

	/**
	 * Return the queues consumed from now.
	 * @return a snapshot of the queues
	 */
	public List<String> getQueues() {
		return List.copyOf(this.queues);
	}

	/**
	 * Send a {@code worker-heartbeat} event now, as Celery answers the {@code heartbeat}
	 * remote control command.
	 */
	public void sendHeartbeat() {
		Run run = this.run;
		if (run != null && run.workerEvents() != null) {
			run.workerEvents().requestedHeartbeat();
		}
	}

	/**
	 * Return the worker's Lamport clock, shared by its events and remote control.
	 * @return the clock
	 */
	public LamportClock getClock() {
		return this.clock;
	}

	/**
	 * Return the ids of revoked tasks the worker remembers.
	 * @return the revoked set
	 */
	public RevokedTasks getRevoked() {
		return this.revoked;
	}

	/**
	 * Return the broker the worker consumes from.
	 * @return the broker
	 */
	public Broker getBroker() {
		return this.broker;
	}

	/**
	 * Return the tasks the worker runs.
	 * @return the registry
	 */
	public TaskRegistry getRegistry() {
		return this.registry;
	}

	/**
	 * Return how many messages the worker may hold unacknowledged at once.
	 * @return the prefetch limit ({@link Integer#MAX_VALUE} when unlimited)
	 */
	public int getPrefetchLimit() {
		return this.options.prefetchLimit();
	}

	/**
	 * What one start of the worker runs on.
	 */
	private record Run(TaskPool pool, ScheduledExecutorService timer, Qos qos, TaskConsumer consumer,
			Thread consumerThread, RequestDispatcher dispatcher, @Nullable WorkerEvents workerEvents) {

	}

}
