package io.celery4j.worker;

import java.time.Duration;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.broker.Delivery;
import io.celery4j.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Observes the steps of a worker's message path: metrics, task events and monitoring hook
 * in here instead of opening a second path. Counterpart of the signals Celery's worker
 * sends ({@code task_received}, {@code task_prerun}, {@code task_success},
 * {@code task_failure}, {@code task_rejected}, {@code task_revoked}, {@code task_retry})
 * and of the points where it sends its {@code task-*} events.
 * <p>
 * Every method has an empty default, so an observer implements only what it needs.
 * Methods are called on the worker's threads (the consumer thread, the eta timer or a
 * pool thread) and must return quickly; an exception thrown by an observer is logged and
 * never changes what happens to the message. Register observers with
 * {@link WorkerContainer#addObserver(WorkerObserver)} before the worker starts.
 */
public interface WorkerObserver {

	/**
	 * Called when a message was decoded into a request for a registered task that is
	 * neither revoked nor expired, before its eta or the pool (as Celery sends
	 * {@code task_received} and {@code task-received}: a request revoked on arrival only
	 * gets {@link #onRevoked}).
	 * @param request the request
	 */
	default void onReceived(TaskRequest request) {
	}

	/**
	 * Called when a message is rejected without running: it cannot be decoded, its task
	 * is not registered, or a header is unreadable.
	 * @param delivery the rejected delivery
	 * @param message the decoded message, or {@code null} when it could not be decoded
	 * @param reason why it was rejected, as logged
	 */
	default void onRejected(Delivery delivery, @Nullable TaskMessage message, String reason) {
	}

	/**
	 * Called on the pool thread just before the task is called.
	 * @param request the request
	 */
	default void onStarted(TaskRequest request) {
	}

	/**
	 * Called when the task returned, after its result was stored.
	 * @param request the request
	 * @param result the result as written to the backend (JSON value)
	 * @param runtime how long the task ran
	 */
	default void onSucceeded(TaskRequest request, @Nullable Object result, Duration runtime) {
	}

	/**
	 * Called when the task raised, after its FAILURE was stored.
	 * @param request the request
	 * @param exception the exception as stored
	 * @param traceback the traceback text as stored, if any
	 * @param runtime how long the task ran
	 */
	default void onFailed(TaskRequest request, ExceptionInfo exception, @Nullable String traceback, Duration runtime) {
	}

	/**
	 * Called when the task asked to be retried and its retry was sent.
	 * @param request the request that is retried
	 * @param reason the exception recorded as the reason of the retry
	 * @param traceback the traceback text, if any
	 */
	default void onRetried(TaskRequest request, ExceptionInfo reason, @Nullable String traceback) {
	}

	/**
	 * Called when a request is revoked instead of run (or while running, with terminate):
	 * expired, or named by a revoke command.
	 * @param request the request
	 * @param expired whether it was revoked because its expires time passed
	 * @param terminated whether it was terminated while running
	 */
	default void onRevoked(TaskRequest request, boolean expired, boolean terminated) {
	}

}
