package io.celery4j.worker;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.PythonRepr;
import io.celery4j.task.PythonExceptions;
import io.celery4j.task.TaskArgumentException;
import io.celery4j.task.TaskContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one request on a pool thread: calls the task, stores its result, acknowledges late
 * when the task asks for it. Counterpart of Celery's {@code celery.app.trace}.
 */
final class TaskTracer {

	private static final Logger logger = LoggerFactory.getLogger(TaskTracer.class);

	private final ResultBackend backend;

	private final Acknowledger acknowledger;

	private final WorkerState state;

	private final String nodeName;

	TaskTracer(ResultBackend backend, Acknowledger acknowledger, WorkerState state, String nodeName) {
		this.backend = backend;
		this.acknowledger = acknowledger;
		this.state = state;
		this.nodeName = nodeName;
	}

	void trace(TaskRequest request) {
		boolean acksLate = request.getTask().options().acksLate();
		MDC.put("taskId", request.getId());
		MDC.put("taskName", request.getName());
		this.state.start(request);
		request.markStarted(Thread.currentThread());
		try {
			if (!acksLate) {
				// Celery acknowledges when the pool starts the task, not when it
				// finishes.
				this.acknowledger.ack(request);
			}
			long start = System.nanoTime();
			TaskMeta meta = run(request, start);
			storeResult(request, meta);
		}
		finally {
			request.markFinished();
			this.state.finish(request);
			if (acksLate) {
				// Ack after the result is stored: a crash in between must redeliver, not
				// lose.
				this.acknowledger.ack(request);
			}
			MDC.remove("taskId");
			MDC.remove("taskName");
		}
	}

	private TaskMeta run(TaskRequest request, long start) {
		try {
			Object value = request.getTask().invoker().invoke(new TaskContext(request.getMessage(), this.nodeName));
			Object result = toJsonValue(request, value);
			if (logger.isDebugEnabled()) {
				logger.debug("Task {} succeeded in {}s: {}", request, seconds(start), PythonRepr.value(result));
			}
			return TaskResults.success(request.getMessage().headers(), result);
		}
		catch (Throwable ex) {
			return failed(request, ex, start);
		}
	}

	private TaskMeta failed(TaskRequest request, Throwable ex, long start) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
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

	private @Nullable Object toJsonValue(TaskRequest request, @Nullable Object value) {
		try {
			return Json.toValue(value);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Task '" + request.getName() + "' returned a "
					+ value.getClass().getName() + " that cannot be written as JSON: " + ex.getMessage(), ex);
		}
	}

	private void storeResult(TaskRequest request, TaskMeta meta) {
		if (request.getTask().options().ignoreResult() || request.getMessage().headers().ignoreResult()) {
			return;
		}
		try {
			this.backend.store(meta);
		}
		catch (RuntimeException ex) {
			logger.error("Task {} result {} could not be stored in {}: {}", request, meta.status(),
					this.backend.maskedUrl(), ex.getMessage());
		}
	}

	private static String seconds(long startNanos) {
		return String.format(java.util.Locale.ROOT, "%.4f", (System.nanoTime() - startNanos) / 1e9);
	}

	/**
	 * Acknowledges a request's message once.
	 */
	@FunctionalInterface
	interface Acknowledger {

		void ack(TaskRequest request);

	}

}
