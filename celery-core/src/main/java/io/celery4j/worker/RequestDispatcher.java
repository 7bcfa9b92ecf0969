package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.BiFunction;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.task.RateLimit;
import io.celery4j.worker.pool.TaskPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step between receipt and the pool: drops revoked and expired requests as REVOKED,
 * holds eta requests on a timer without taking a pool slot, lets rate-limited requests
 * wait for a token of their task's bucket on the same timer, and queues the rest on the
 * pool. Counterpart of Celery's {@code celery.worker.strategy.default}, the consumer's
 * {@code apply_eta_task} and the revoke handling of {@code celery.worker.request}.
 */
final class RequestDispatcher implements TaskConsumer.Dispatcher {

	private static final Logger logger = LoggerFactory.getLogger(RequestDispatcher.class);

	/**
	 * How long a terminated task gets to react to its interrupt before its thread is
	 * replaced.
	 */
	private static final Duration TERMINATE_GRACE = Duration.ofSeconds(1);

	private final ResultBackend backend;

	private final TaskPool pool;

	private final ScheduledExecutorService timer;

	private final TaskTracer tracer;

	private final WorkerState state;

	private final Qos qos;

	private final BooleanSupplier stopping;

	private final RevokedTasks revoked;

	private final WorkerObserver observer;

	private final RateLimiter rateLimiter;

	private final CanvasCallbacks canvas;

	RequestDispatcher(ResultBackend backend, TaskPool pool, ScheduledExecutorService timer, TaskTracer tracer,
			WorkerState state, Qos qos, BooleanSupplier stopping, RevokedTasks revoked, WorkerObserver observer,
			BiFunction<String, RateLimit, TokenBucket> buckets, CanvasCallbacks canvas) {
		this.backend = backend;
		this.pool = pool;
		this.timer = timer;
		this.tracer = tracer;
		this.state = state;
		this.qos = qos;
		this.stopping = stopping;
		this.revoked = revoked;
		this.observer = observer;
		this.rateLimiter = new RateLimiter(timer, state, buckets);
		this.canvas = canvas;
	}

	@Override
	public void dispatch(TaskRequest request) {
		if (this.stopping.getAsBoolean()) {
			// Received while the worker stops: it must not start, the queue gets it back.
			this.qos.giveBack(List.of(request));
			return;
		}
		if (discardIfRevoked(request) || discardIfExpired(request)) {
			// As Celery's strategy: a request revoked or expired on arrival is announced
			// as task-revoked only, never as received.
			return;
		}
		this.observer.onReceived(request);
		route(request);
	}

	private void route(TaskRequest request) {
		if (isFuture(request.getEta())) {
			hold(request);
			return;
		}
		RateLimit rateLimit = request.getTask().options().rateLimit();
		if (rateLimit != null) {
			// After the eta, as in Celery: a due eta request still waits for its token.
			this.rateLimiter.submit(request, rateLimit, this::enqueue);
			return;
		}
		enqueue(request);
	}

	private void enqueue(TaskRequest request) {
		if (this.stopping.getAsBoolean()) {
			this.qos.giveBack(List.of(request));
			return;
		}
		this.state.reserve(request);
		this.pool.execute(new PooledRequest(request, this));
	}

	private void hold(TaskRequest request) {
		// Put in the scheduled set first: a stop that begins now gives it back from
		// there.
		this.state.schedule(request);
		this.qos.hold(request);
		logger.debug("Task {} held until its eta {}", request, request.getEta());
		try {
			this.timer.schedule(() -> due(request), millisUntil(request.getEta()), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The timer is shut down: the worker is stopping and gives back what is in
			// the scheduled set.
			logger.debug("Task {} not scheduled: worker stopping", request);
		}
	}

	private void due(TaskRequest request) {
		if (!this.state.unschedule(request)) {
			// Taken back by a stop in the meantime.
			return;
		}
		this.qos.due(request);
		if (this.stopping.getAsBoolean()) {
			this.qos.giveBack(List.of(request));
			return;
		}
		if (discardIfRevoked(request) || discardIfExpired(request)) {
			return;
		}
		route(request);
	}

	private boolean discardIfRevoked(TaskRequest request) {
		if (!this.revoked.contains(request.getId())) {
			return false;
		}
		int signum = request.getTerminateSignal();
		logger.info("Discarding revoked task: {}", request);
		announceRevoked(request, (signum != 0) ? TaskResults.TERMINATED : TaskResults.REVOKED, signum, false);
		return true;
	}

	private boolean discardIfExpired(TaskRequest request) {
		Instant expires = request.getExpires();
		if (expires == null || expires.isAfter(Instant.now())) {
			return false;
		}
		logger.debug("Task {} expired at {}; discarded as REVOKED", request, expires);
		announceRevoked(request, TaskResults.EXPIRED, 0, true);
		return true;
	}

	/**
	 * Store REVOKED, send {@code task-revoked}, release and acknowledge, once per request
	 * (Celery's {@code Request._announce_revoked}).
	 */
	private void announceRevoked(TaskRequest request, String reason, int signum, boolean expired) {
		if (!request.announceRevoked()) {
			return;
		}
		TaskMeta revokedMeta = TaskResults.revoked(request.getMessage().headers(), reason);
		if (!request.getMessage().headers().ignoreResult() && !request.getTask().options().ignoreResult()) {
			try {
				this.backend.store(revokedMeta);
			}
			catch (RuntimeException ex) {
				logger.error("Task {} REVOKED ({}) could not be stored in {}: {}", request, reason,
						this.backend.maskedUrl(), ex.getMessage());
			}
		}
		// A revoked chord member fails its chord, as in Celery.
		this.canvas.afterRevoked(request, revokedMeta);
		this.state.release(request);
		this.state.finish(request);
		this.qos.ack(request);
		this.observer.onRevoked(request, expired, signum != 0);
	}

	/**
	 * Terminate a request of a revoke with {@code terminate}: a running task is announced
	 * as REVOKED {@code terminated} at once and its thread interrupted; if it still runs
	 * after a grace period its pool thread is replaced so that the slot is free again. A
	 * request that has not started is discarded when it comes up.
	 * @param request the request
	 * @param signum the signal Celery would send
	 * @return whether the request was not terminated before
	 */
	boolean terminate(TaskRequest request, int signum) {
		if (!request.requestTermination(signum)) {
			return false;
		}
		if (!request.isTaskRunning()) {
			return true;
		}
		logger.info("Terminating {} ({})", request.getId(), signum);
		announceRevoked(request, TaskResults.TERMINATED, signum, false);
		Thread thread = request.interruptForTerminate();
		if (thread == null) {
			return true;
		}
		try {
			this.timer.schedule(() -> replaceIfStuck(request, thread), TERMINATE_GRACE.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Task {} not watched after terminate: worker stopping", request);
		}
		return true;
	}

	private void replaceIfStuck(TaskRequest request, Thread thread) {
		if (request.isTaskRunningOn(thread) && this.pool.replace(thread)) {
			logger.warn("Task {} ignores the interrupt of its terminate; its thread {} runs on outside the pool, "
					+ "a new thread takes its slot", request, thread.getName());
		}
	}

	void run(TaskRequest request) {
		if (this.stopping.getAsBoolean()) {
			// Taken off the pool queue during shutdown: give it back rather than start
			// it.
			this.state.release(request);
			this.qos.giveBack(List.of(request));
			return;
		}
		if (discardIfRevoked(request) || discardIfExpired(request)) {
			return;
		}
		this.tracer.trace(request);
	}

	private static boolean isFuture(@Nullable Instant instant) {
		return instant != null && instant.isAfter(Instant.now());
	}

	private static long millisUntil(@Nullable Instant instant) {
		return (instant != null) ? Math.max(0, Duration.between(Instant.now(), instant).toMillis()) : 0;
	}

	/**
	 * A request waiting on the pool queue; the shutdown takes these back unstarted.
	 *
	 * @param request the request
	 * @param dispatcher the dispatcher that runs it
	 */
	record PooledRequest(TaskRequest request, RequestDispatcher dispatcher) implements Runnable {

		@Override
		public void run() {
			this.dispatcher.run(this.request);
		}

	}

}
