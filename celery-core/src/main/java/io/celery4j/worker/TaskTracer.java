package io.celery4j.worker;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.PythonRepr;
import io.celery4j.task.PythonExceptions;
import io.celery4j.task.RetryException;
import io.celery4j.task.SoftTimeLimitExceededException;
import io.celery4j.task.TaskArgumentException;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one request on a pool thread: acknowledges early (the default), stores STARTED
 * when the task tracks it, calls the task, stores its result (or, when the task asked for
 * a retry, stores RETRY and then sends the retry message, so that the retry's own outcome
 * is never overwritten by this RETRY), calls the task's hooks, acknowledges late when the
 * task asks for it. Counterpart of Celery's {@code celery.app.trace}.
 * <p>
 * A task the worker's shutdown had to interrupt lost its worker, as in Celery: with acks
 * late and reject-on-worker-lost its message goes back to the queue and no result is
 * stored (it runs again elsewhere); otherwise the message is acknowledged and a FAILURE
 * {@code WorkerLostError} is stored unless the task still returned a value.
 */
final class TaskTracer {

	private static final Logger logger = LoggerFactory.getLogger(TaskTracer.class);

	private final ResultBackend backend;

	private final Qos qos;

	private final WorkerState state;

	private final String nodeName;

	private final WorkerObserver observer;

	private final TaskRetries retries;

	private final TimeLimitSupervisor timeLimits;

	private final CanvasCallbacks canvas;

	TaskTracer(ResultBackend backend, Qos qos, WorkerState state, String nodeName, WorkerObserver observer,
			TaskRetries retries, TimeLimitSupervisor timeLimits, CanvasCallbacks canvas) {
		this.backend = backend;
		this.qos = qos;
		this.state = state;
		this.nodeName = nodeName;
		this.observer = observer;
		this.retries = retries;
		this.timeLimits = timeLimits;
		this.canvas = canvas;
	}

	void trace(TaskRequest request) {
		boolean acksLate = request.getTask().options().acksLate();
		MDC.put("taskId", request.getId());
		MDC.put("taskName", request.getName());
		this.state.start(request);
		TimeLimitSupervisor.Watch watch = null;
		boolean ownsEnd = true;
		try {
			if (!acksLate) {
				// Celery acknowledges when the pool starts the task, not when it
				// finishes.
				this.qos.ack(request);
			}
			this.observer.onStarted(request);
			TaskContext context = new TaskContext(request.getMessage(), this.nodeName, request.getTask().options());
			storeStarted(request);
			long start = System.nanoTime();
			Outcome outcome;
			watch = this.timeLimits.watch(request, this::hardTimeLimitExceeded);
			request.enterTask();
			try {
				outcome = run(request, context, start);
			}
			finally {
				request.leaveTask();
			}
			TaskMeta meta = outcome.meta();
			Duration runtime = Duration.ofNanos(System.nanoTime() - start);
			ownsEnd = watch.finish();
			watch = null;
			if (!ownsEnd) {
				logger.debug("Task {} returned after its hard time limit; its outcome is dropped", request);
				return;
			}
			if (request.isRevokeAnnounced()) {
				// Terminated by a revoke while it ran: REVOKED is stored and announced.
				logger.info("Task {} terminated by revoke ended: {}", request, meta.status());
				return;
			}
			if (request.isInterruptedByShutdown() && isRejectedOnWorkerLost(request)) {
				// The stop may have given it back already, if the task ignored the
				// interrupt for too long.
				if (this.qos.giveBack(List.of(request)) > 0) {
					logger.warn("Task {} interrupted by the shutdown of worker {}; its message goes back to queue '{}'",
							request, this.nodeName, request.getDelivery().queue());
				}
				return;
			}
			// Callbacks and the next chain step go before the result, which lists them.
			meta = this.canvas.beforeStore(request, meta);
			storeResult(request, meta);
			if (outcome.exception() instanceof RetryException retry) {
				outcome = sendRetry(request, retry, outcome, start);
				meta = outcome.meta();
			}
			this.canvas.afterStore(request, meta);
			notifyOutcome(request, meta, runtime);
			TaskHookCalls.afterOutcome(request, context, outcome.exception(), meta);
		}
		finally {
			if (watch != null) {
				ownsEnd = watch.finish();
			}
			if (ownsEnd) {
				finish(request);
			}
			MDC.remove("taskId");
			MDC.remove("taskName");
		}
	}

	private void finish(TaskRequest request) {
		this.state.finish(request);
		if (request.getTask().options().acksLate()) {
			// Ack after the result is stored: a crash in between must redeliver, not
			// lose. A no-op when the message was given back.
			this.qos.ack(request);
		}
	}

	/**
	 * Called on the timer when a task overran its hard time limit: its thread was
	 * replaced; store the failure, free the request and settle its message as Celery does
	 * (acks-late messages are acknowledged: the task is not run again).
	 */
	private void hardTimeLimitExceeded(TaskRequest request, Duration limit) {
		MDC.put("taskId", request.getId());
		MDC.put("taskName", request.getName());
		try {
			logger.error("Hard time limit ({}s) exceeded for {}", TimeLimitSupervisor.seconds(limit), request);
			ExceptionInfo exception = PythonExceptions.timeLimitExceeded(limit.toNanos() / 1e9);
			TaskMeta meta = TaskResults.failure(request.getMessage().headers(), exception,
					"Traceback (most recent call last):\n  Task stopped by the worker after its hard time limit\n"
							+ "TimeLimitExceeded: " + exception.message() + "\n");
			storeResult(request, meta);
			this.canvas.afterStore(request, meta);
			this.observer.onFailed(request, exception, meta.traceback(), limit);
			finish(request);
		}
		finally {
			MDC.remove("taskId");
			MDC.remove("taskName");
		}
	}

	private void notifyOutcome(TaskRequest request, TaskMeta meta, Duration runtime) {
		ExceptionInfo exception = ExceptionInfo.fromValue(meta.result());
		if (TaskState.RETRY.equals(meta.status())) {
			this.observer.onRetried(request, (exception != null) ? exception : TaskResults.NO_RETRY_REASON,
					meta.traceback());
		}
		else if (TaskState.FAILURE.equals(meta.status()) && exception != null) {
			this.observer.onFailed(request, exception, meta.traceback(), runtime);
		}
		else {
			this.observer.onSucceeded(request, meta.result(), runtime);
		}
	}

	private Outcome run(TaskRequest request, TaskContext context, long start) {
		try {
			Object value = request.getTask().invoker().invoke(context);
			Object result = toJsonValue(request, value);
			if (logger.isDebugEnabled()) {
				logger.debug("Task {} succeeded in {}s: {}", request, seconds(start), PythonRepr.value(result));
			}
			return new Outcome(TaskResults.success(request.getMessage().headers(), result), null);
		}
		catch (Throwable ex) {
			Throwable thrown = TaskAutoretry.apply(request, context, ex);
			if (thrown instanceof RetryException retry && !request.isInterruptedByShutdown()) {
				return retried(request, retry);
			}
			return new Outcome(failed(request, thrown, start), thrown);
		}
	}

	private Outcome retried(TaskRequest request, RetryException retry) {
		Throwable cause = retry.getCause();
		ExceptionInfo reason = (cause != null) ? PythonExceptions.toExceptionInfo(cause) : null;
		return new Outcome(TaskResults.retry(request.getMessage().headers(), reason, PythonExceptions.traceback(retry)),
				retry);
	}

	/**
	 * Send the retry message once RETRY is stored: the retry may run at once on another
	 * thread or worker, and a RETRY stored after its outcome would overwrite it.
	 */
	private Outcome sendRetry(TaskRequest request, RetryException retry, Outcome retried, long start) {
		try {
			this.retries.send(request.getMessage(), retry);
		}
		catch (RuntimeException ex) {
			// Celery's retry() raises what apply_async raised: the task fails.
			Outcome failed = new Outcome(failed(request, ex, start), ex);
			storeResult(request, failed.meta());
			return failed;
		}
		logger.info("Task {} retry: {}", request, retry.getMessage());
		return retried;
	}

	private void storeStarted(TaskRequest request) {
		TaskOptions options = request.getTask().options();
		if (options.trackStarted() && !isResultIgnored(request)) {
			store(request,
					TaskResults.started(request.getMessage().headers(), ProcessHandle.current().pid(), this.nodeName));
		}
	}

	private TaskMeta failed(TaskRequest request, Throwable thrown, long start) {
		Throwable ex = thrown;
		if (request.isRevokeAnnounced()) {
			// The interrupt of a terminating revoke: expected, REVOKED is stored.
			return TaskResults.revoked(request.getMessage().headers(), TaskResults.TERMINATED);
		}
		if (request.isSoftTimeLimitExceeded() && !request.isInterruptedByShutdown()) {
			if (!(ex instanceof SoftTimeLimitExceededException) && isInterrupt(ex)) {
				ex = new SoftTimeLimitExceededException("SoftTimeLimitExceeded()", ex);
			}
			if (ex instanceof SoftTimeLimitExceededException) {
				// Expected: the soft limit was logged when it passed; no stack trace.
				logger.error("Task {} raised: SoftTimeLimitExceeded (after {}s)", request, seconds(start));
				return TaskResults.failure(request.getMessage().headers(), PythonExceptions.toExceptionInfo(ex),
						PythonExceptions.traceback(ex));
			}
		}
		if (request.isInterruptedByShutdown()) {
			ExceptionInfo lost = TaskResults.workerLost(this.nodeName);
			if (!isRejectedOnWorkerLost(request)) {
				logger.warn("Task {} interrupted by the shutdown of worker {}: {}", request, this.nodeName,
						PythonExceptions.repr(ex));
			}
			return TaskResults.failure(request.getMessage().headers(), lost, PythonExceptions.traceback(ex));
		}
		ExceptionInfo exception = PythonExceptions.toExceptionInfo(ex);
		if (ex instanceof TaskArgumentException) {
			// A caller's mistake, not a bug in the task: no stack trace.
			logger.error("Task {} raised unexpected: {}: {}", request, exception.type(), exception.message());
		}
		else {
			logger.error("Task {} raised unexpected: {} (after {}s)", request, PythonExceptions.repr(ex),
					seconds(start), ex);
		}
		return TaskResults.failure(request.getMessage().headers(), exception, PythonExceptions.traceback(ex));
	}

	/**
	 * Celery's {@code reject_on_worker_lost}: an acks-late message whose worker is lost
	 * goes back to the queue instead of being acknowledged as FAILURE.
	 */
	static boolean isRejectedOnWorkerLost(TaskRequest request) {
		return request.getTask().options().acksLate() && request.getTask().options().rejectOnWorkerLost();
	}

	private static boolean isInterrupt(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof InterruptedException || current instanceof InterruptedIOException
					|| current instanceof ClosedByInterruptException) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	private @Nullable Object toJsonValue(TaskRequest request, @Nullable Object value) {
		try {
			return Json.toValue(value);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Task '" + request.getName() + "' returned a "
					+ value.getClass().getName() + " that cannot be written as JSON: " + ex.getMessage(), ex);
		}
	}

	private boolean isResultIgnored(TaskRequest request) {
		return request.getTask().options().ignoreResult() || request.getMessage().headers().ignoreResult();
	}

	private void storeResult(TaskRequest request, TaskMeta meta) {
		boolean error = TaskState.FAILURE.equals(meta.status()) || TaskState.RETRY.equals(meta.status());
		if (isResultIgnored(request) && !(error && request.getTask().options().storeErrorsEvenIfIgnored())) {
			return;
		}
		store(request, meta);
	}

	private void store(TaskRequest request, TaskMeta meta) {
		try {
			this.backend.store(meta);
		}
		catch (RuntimeException ex) {
			logger.error("Task {} result {} could not be stored in {}: {}", request, meta.status(),
					this.backend.maskedUrl(), ex.getMessage());
		}
	}

	/**
	 * What one run produced: the record to store and what the task threw, if anything.
	 */
	private record Outcome(TaskMeta meta, @Nullable Throwable exception) {

	}

	private static String seconds(long startNanos) {
		return String.format(Locale.ROOT, "%.4f", (System.nanoTime() - startNanos) / 1e9);
	}

}
