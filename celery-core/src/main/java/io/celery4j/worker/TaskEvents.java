package io.celery4j.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.broker.Delivery;
import io.celery4j.events.EventDispatcher;
import io.celery4j.protocol.PythonRepr;
import io.celery4j.protocol.TaskHeaders;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.task.PythonExceptions;
import io.celery4j.task.TaskRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The {@code task-*} events of a worker, an observer of the message path added when task
 * events are on (Celery's {@code -E}, {@code worker_send_task_events}). Fields and order
 * as in PROTOCOL.md 6.2.
 */
final class TaskEvents implements WorkerObserver {

	private final EventDispatcher dispatcher;

	private final TaskRegistry registry;

	TaskEvents(EventDispatcher dispatcher, TaskRegistry registry) {
		this.dispatcher = dispatcher;
		this.registry = registry;
	}

	@Override
	public void onReceived(TaskRequest request) {
		TaskHeaders headers = request.getMessage().headers();
		Map<String, @Nullable Object> fields = uuid(request.getId());
		fields.put("name", request.getName());
		fields.put("args", headers.argsRepr());
		fields.put("kwargs", headers.kwargsRepr());
		fields.put("root_id", headers.rootId());
		fields.put("parent_id", headers.parentId());
		fields.put("retries", headers.retries());
		fields.put("eta", headers.eta());
		fields.put("expires", headers.expires());
		send("task-received", fields);
	}

	@Override
	public void onStarted(TaskRequest request) {
		send("task-started", uuid(request.getId()));
	}

	@Override
	public void onSucceeded(TaskRequest request, @Nullable Object result, Duration runtime) {
		Map<String, @Nullable Object> fields = uuid(request.getId());
		fields.put("result", PythonRepr.value(result));
		fields.put("runtime", runtime.toNanos() / 1e9);
		send("task-succeeded", fields);
	}

	@Override
	public void onFailed(TaskRequest request, ExceptionInfo exception, @Nullable String traceback, Duration runtime) {
		Map<String, @Nullable Object> fields = uuid(request.getId());
		fields.put("exception", PythonExceptions.repr(exception));
		fields.put("traceback", traceback);
		send("task-failed", fields);
	}

	@Override
	public void onRetried(TaskRequest request, ExceptionInfo reason, @Nullable String traceback) {
		Map<String, @Nullable Object> fields = uuid(request.getId());
		fields.put("exception", PythonExceptions.repr(reason));
		fields.put("traceback", traceback);
		send("task-retried", fields);
	}

	@Override
	public void onRevoked(TaskRequest request, boolean expired, boolean terminated) {
		int signum = request.getTerminateSignal();
		Map<String, @Nullable Object> fields = uuid(request.getId());
		fields.put("terminated", terminated);
		fields.put("signum", (terminated && signum != 0) ? signum : null);
		fields.put("expired", expired);
		send("task-revoked", fields);
	}

	@Override
	public void onRejected(Delivery delivery, @Nullable TaskMessage message, String reason) {
		if (message == null) {
			return;
		}
		Map<String, @Nullable Object> fields = uuid(message.id());
		if (this.registry.find(message.taskName()) == null) {
			// Celery reports an unknown task as failed, without a traceback.
			fields.put("exception", "NotRegistered(" + PythonRepr.value(message.taskName()) + ")");
			send("task-failed", fields);
			return;
		}
		fields.put("requeue", false);
		send("task-rejected", fields);
	}

	private void send(String type, Map<String, @Nullable Object> fields) {
		this.dispatcher.sendTaskEvent(type, fields);
	}

	private static Map<String, @Nullable Object> uuid(String taskId) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", taskId);
		return fields;
	}

}
