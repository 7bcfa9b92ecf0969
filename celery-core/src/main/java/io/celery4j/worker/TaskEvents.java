package io.celery4j.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.events.EventDispatcher;
import io.celery4j.protocol.PythonRepr;
import io.celery4j.protocol.TaskHeaders;
import io.celery4j.task.PythonExceptions;
import org.jspecify.annotations.Nullable;

/**
 * The {@code task-*} events of a worker, sent from the steps of the message path when
 * task events are on (Celery's {@code -E}, {@code worker_send_task_events}); does nothing
 * otherwise. Fields and order as in PROTOCOL.md 6.2.
 */
final class TaskEvents {

	private final @Nullable EventDispatcher dispatcher;

	TaskEvents(@Nullable EventDispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	static TaskEvents disabled() {
		return new TaskEvents(null);
	}

	void received(TaskRequest request) {
		if (this.dispatcher == null) {
			return;
		}
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

	void started(TaskRequest request) {
		if (this.dispatcher != null) {
			send("task-started", uuid(request.getId()));
		}
	}

	/**
	 * Send {@code task-succeeded} or {@code task-failed} for what the tracer stores.
	 */
	void finished(TaskRequest request, TaskMeta meta, double runtimeSeconds) {
		if (this.dispatcher == null) {
			return;
		}
		Map<String, @Nullable Object> fields = uuid(request.getId());
		if (TaskState.SUCCESS.equals(meta.status())) {
			fields.put("result", PythonRepr.value(meta.result()));
			fields.put("runtime", runtimeSeconds);
			send("task-succeeded", fields);
			return;
		}
		ExceptionInfo exception = meta.exception();
		fields.put("exception", (exception != null) ? PythonExceptions.repr(exception) : "None");
		fields.put("traceback", meta.traceback());
		send("task-failed", fields);
	}

	void notRegistered(String taskId, String taskName) {
		if (this.dispatcher != null) {
			Map<String, @Nullable Object> fields = uuid(taskId);
			fields.put("exception", "NotRegistered(" + PythonRepr.value(taskName) + ")");
			send("task-failed", fields);
		}
	}

	void revoked(String taskId, boolean terminated, @Nullable Integer signum, boolean expired) {
		if (this.dispatcher != null) {
			Map<String, @Nullable Object> fields = uuid(taskId);
			fields.put("terminated", terminated);
			fields.put("signum", signum);
			fields.put("expired", expired);
			send("task-revoked", fields);
		}
	}

	void rejected(String taskId, boolean requeue) {
		if (this.dispatcher != null) {
			Map<String, @Nullable Object> fields = uuid(taskId);
			fields.put("requeue", requeue);
			send("task-rejected", fields);
		}
	}

	private void send(String type, Map<String, @Nullable Object> fields) {
		if (this.dispatcher != null) {
			this.dispatcher.sendTaskEvent(type, fields);
		}
	}

	private static Map<String, @Nullable Object> uuid(String taskId) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", taskId);
		return fields;
	}

}
