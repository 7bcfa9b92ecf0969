package io.celery4j.worker;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.broker.Delivery;
import io.celery4j.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of one worker run, called in registration order. A failing observer is
 * logged and skipped: it never changes what happens to the message.
 */
final class WorkerObservers implements WorkerObserver {

	private static final Logger logger = LoggerFactory.getLogger(WorkerObservers.class);

	private final List<WorkerObserver> observers;

	WorkerObservers(List<WorkerObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	@Override
	public void onReceived(TaskRequest request) {
		notify("onReceived", (observer) -> observer.onReceived(request));
	}

	@Override
	public void onRejected(Delivery delivery, @Nullable TaskMessage message, String reason) {
		notify("onRejected", (observer) -> observer.onRejected(delivery, message, reason));
	}

	@Override
	public void onStarted(TaskRequest request) {
		notify("onStarted", (observer) -> observer.onStarted(request));
	}

	@Override
	public void onSucceeded(TaskRequest request, @Nullable Object result, Duration runtime) {
		notify("onSucceeded", (observer) -> observer.onSucceeded(request, result, runtime));
	}

	@Override
	public void onFailed(TaskRequest request, ExceptionInfo exception, @Nullable String traceback, Duration runtime) {
		notify("onFailed", (observer) -> observer.onFailed(request, exception, traceback, runtime));
	}

	@Override
	public void onRetried(TaskRequest request, ExceptionInfo reason, @Nullable String traceback) {
		notify("onRetried", (observer) -> observer.onRetried(request, reason, traceback));
	}

	@Override
	public void onRevoked(TaskRequest request, boolean expired, boolean terminated) {
		notify("onRevoked", (observer) -> observer.onRevoked(request, expired, terminated));
	}

	private void notify(String method, Consumer<WorkerObserver> call) {
		for (WorkerObserver observer : this.observers) {
			try {
				call.accept(observer);
			}
			catch (RuntimeException ex) {
				logger.warn("Worker observer {} failed in {}: {}", observer.getClass().getName(), method,
						ex.toString());
			}
		}
	}

}
