package io.celery4j.worker;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.celery4j.backend.ResultBackend;
import io.celery4j.worker.pool.TaskPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step between receipt and the pool: drops expired requests as REVOKED, holds eta
 * requests on a timer without taking a pool slot, and queues the rest on the pool.
 * Counterpart of Celery's {@code celery.worker.strategy.default}.
 */
final class RequestDispatcher implements TaskConsumer.Dispatcher {

	private static final Logger logger = LoggerFactory.getLogger(RequestDispatcher.class);

	private final ResultBackend backend;

	private final TaskPool pool;

	private final ScheduledExecutorService timer;

	private final TaskTracer tracer;

	private final WorkerState state;

	private final TaskTracer.Acknowledger acknowledger;

	private final BooleanSupplier stopping;

	private final Consumer<TaskRequest> giveBack;

	private final Consumer<TaskRequest> releasePrefetchSlot;

	RequestDispatcher(ResultBackend backend, TaskPool pool, ScheduledExecutorService timer, TaskTracer tracer,
			WorkerState state, TaskTracer.Acknowledger acknowledger, BooleanSupplier stopping,
			Consumer<TaskRequest> giveBack, Consumer<TaskRequest> releasePrefetchSlot) {
		this.backend = backend;
		this.pool = pool;
		this.timer = timer;
		this.tracer = tracer;
		this.state = state;
		this.acknowledger = acknowledger;
		this.stopping = stopping;
		this.giveBack = giveBack;
		this.releasePrefetchSlot = releasePrefetchSlot;
	}

	@Override
	public void dispatch(TaskRequest request) {
		if (discardIfExpired(request)) {
			return;
		}
		if (request.getEta() != null && !WorkerContainer.isPast(request.getEta())) {
			hold(request);
			return;
		}
		this.state.reserve(request);
		this.pool.execute(new PooledRequest(request, this));
	}

	private void hold(TaskRequest request) {
		this.state.schedule(request);
		// As Celery raises its prefetch count per held eta task: a held request must not
		// stop the worker from fetching work that can run now.
		this.releasePrefetchSlot.accept(request);
		logger.debug("Task {} received with eta {}; held", request, request.getEta());
		try {
			WorkerContainer.schedule(this.timer, () -> {
				this.state.unschedule(request);
				dispatch(request);
			}, request.getEta());
		}
		catch (RejectedExecutionException ex) {
			// The worker is stopping: the request stays in the scheduled set and is given
			// back.
			logger.debug("Task {} not scheduled: worker stopping", request);
		}
	}

	private boolean discardIfExpired(TaskRequest request) {
		if (!WorkerContainer.isPast(request.getExpires())) {
			return false;
		}
		logger.info("Discarding expired task {} (expired at {})", request, request.getExpires());
		if (!request.getMessage().headers().ignoreResult()) {
			try {
				this.backend.store(TaskResults.revoked(request.getMessage().headers(), TaskResults.EXPIRED));
			}
			catch (RuntimeException ex) {
				logger.error("Task {} REVOKED (expired) could not be stored: {}", request, ex.getMessage());
			}
		}
		this.state.release(request);
		this.acknowledger.ack(request);
		return true;
	}

	void run(TaskRequest request) {
		if (this.stopping.getAsBoolean()) {
			// Taken off the pool queue during shutdown: give it back rather than start
			// it.
			this.state.release(request);
			this.giveBack.accept(request);
			return;
		}
		if (discardIfExpired(request)) {
			return;
		}
		this.tracer.trace(request);
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
