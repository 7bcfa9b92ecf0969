package io.celery4j.boot.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.Broker;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.control.CeleryControl;
import io.celery4j.protocol.PythonRepr;
import io.celery4j.task.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Flower's task and worker API, with Flower's paths, methods and JSON field names (see
 * docs/monitoring.md); task info and the task list come from the task events received
 * ({@link CeleryTaskEventState}). Errors answer {@code {"error": message}}: 404 for a
 * task not registered here on {@code async-apply}, 400 for a malformed body or parameter.
 */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
public class CeleryApiController {

	private static final Logger logger = LoggerFactory.getLogger(CeleryApiController.class);

	private static final Duration MAX_RESULT_TIMEOUT = Duration.ofMinutes(5);

	private final CeleryClient client;

	private final TaskRegistry tasks;

	private final CeleryWorkers workers;

	private final List<String> queues;

	private final @Nullable CeleryTaskEventState events;

	/**
	 * Create the controller.
	 * @param client the client that sends tasks and reads results
	 * @param tasks the local task registry
	 * @param workers the view of live workers
	 * @param queues the queues {@code /api/queues/length} reports
	 */
	public CeleryApiController(CeleryClient client, TaskRegistry tasks, CeleryWorkers workers, List<String> queues) {
		this(client, tasks, workers, queues, null);
	}

	/**
	 * Create the controller with task events.
	 * @param client the client that sends tasks and reads results
	 * @param tasks the local task registry
	 * @param workers the view of live workers
	 * @param queues the queues {@code /api/queues/length} reports
	 * @param events the tasks seen in events, for {@code /api/task/info} and
	 * {@code /api/tasks}; without it they know no task
	 */
	public CeleryApiController(CeleryClient client, TaskRegistry tasks, CeleryWorkers workers, List<String> queues,
			@Nullable CeleryTaskEventState events) {
		this.client = client;
		this.tasks = tasks;
		this.workers = workers;
		this.queues = List.copyOf(queues);
		this.events = events;
	}

	@PostMapping("/task/async-apply/{name}")
	public Map<String, @Nullable Object> asyncApply(@PathVariable String name,
			@RequestBody(required = false) @Nullable String body) {
		if (this.tasks.find(name) == null) {
			throw new ApiException(HttpStatus.NOT_FOUND,
					"Unknown task '" + name + "': it is not registered in this application. Use /api/task/send-task/"
							+ name + " to send it to any worker.");
		}
		return send(name, body);
	}

	@PostMapping("/task/send-task/{name}")
	public Map<String, @Nullable Object> sendTask(@PathVariable String name,
			@RequestBody(required = false) @Nullable String body) {
		return send(name, body);
	}

	private Map<String, @Nullable Object> send(String name, @Nullable String body) {
		TaskApplyRequest request = TaskApplyRequest.parse(body);
		AsyncResult result = this.client.send(name, request.args(), request.kwargs(), request.options());
		Map<String, @Nullable Object> answer = new LinkedHashMap<>();
		answer.put("task-id", result.getId());
		answer.put("state", TaskState.PENDING);
		return answer;
	}

	@GetMapping("/task/result/{id}")
	public Map<String, @Nullable Object> result(@PathVariable String id,
			@RequestParam(required = false) @Nullable String timeout) throws InterruptedException {
		ResultBackend backend = this.client.getBackend();
		Duration wait = timeout(timeout);
		TaskMeta meta = (wait != null) ? backend.await(id, wait) : backend.get(id);
		Map<String, @Nullable Object> answer = new LinkedHashMap<>();
		answer.put("task-id", id);
		answer.put("state", meta.status());
		if (!meta.isReady()) {
			answer.put("result", null);
			return answer;
		}
		ExceptionInfo exception = meta.exception();
		if (exception != null && !TaskState.SUCCESS.equals(meta.status())) {
			// As Flower: an exception is not JSON, so its repr is the result.
			answer.put("result", exception.type() + PythonRepr.args(exception.arguments()).replaceAll(",\\)$", ")"));
			if (TaskState.FAILURE.equals(meta.status())) {
				answer.put("traceback", meta.traceback());
			}
		}
		else {
			answer.put("result", meta.result());
		}
		return answer;
	}

	private static @Nullable Duration timeout(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			double seconds = Double.parseDouble(value);
			if (seconds < 0 || Double.isNaN(seconds) || seconds > MAX_RESULT_TIMEOUT.toSeconds()) {
				throw new NumberFormatException();
			}
			return Duration.ofMillis(Math.round(seconds * 1000));
		}
		catch (NumberFormatException ex) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "Parameter 'timeout': expected seconds from 0 to "
					+ MAX_RESULT_TIMEOUT.toSeconds() + ", got '" + value + "'");
		}
	}

	@GetMapping("/task/info/{id}")
	public Map<String, @Nullable Object> taskInfo(@PathVariable String id) {
		Map<String, @Nullable Object> task = (this.events != null) ? this.events.getState().find(id) : null;
		if (task == null) {
			throw new ApiException(HttpStatus.NOT_FOUND, "Unknown task '" + id
					+ "': no task event named it (workers send them with celery.worker.send-task-events=true).");
		}
		return task;
	}

	@GetMapping("/tasks")
	public Map<String, Map<String, @Nullable Object>> tasks(@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String offset,
			@RequestParam(required = false) @Nullable String workername,
			@RequestParam(required = false) @Nullable String taskname,
			@RequestParam(required = false) @Nullable String state,
			@RequestParam(name = "received_start", required = false) @Nullable String receivedStart,
			@RequestParam(name = "received_end", required = false) @Nullable String receivedEnd,
			@RequestParam(name = "sort_by", required = false) @Nullable String sortBy) {
		TaskQuery query = TaskQuery.parse(limit, offset, workername, taskname, state, receivedStart, receivedEnd,
				sortBy);
		return query.apply((this.events != null) ? this.events.getState().tasks() : List.of());
	}

	@PostMapping("/task/revoke/{id}")
	public Map<String, @Nullable Object> revoke(@PathVariable String id,
			@RequestParam(defaultValue = "false") boolean terminate) {
		CeleryControl control = this.workers.getControl();
		if (control == null) {
			throw new ApiException(HttpStatus.NOT_IMPLEMENTED,
					"Revoking task '" + id + "' needs remote control (io.celery4j.control.CeleryControl)");
		}
		Map<String, @Nullable Object> replies = control.revoke(id, terminate);
		logger.info("Task {} revoked{} through the HTTP API; {} worker(s) replied", id,
				terminate ? " with terminate" : "", replies.size());
		return Map.of("message", "Revoked '" + id + "'");
	}

	@GetMapping("/workers")
	public Map<String, Map<String, @Nullable Object>> workers() {
		return this.workers.describe();
	}

	@GetMapping("/queues/length")
	public Map<String, Object> queueLengths() {
		Broker broker = this.client.getBroker();
		List<Map<String, Object>> lengths = new ArrayList<>();
		for (String queue : this.queues) {
			lengths.add(Map.of("name", queue, "messages", broker.queueLength(queue)));
		}
		return Map.of("active_queues", lengths);
	}

	@ExceptionHandler(ApiException.class)
	ResponseEntity<Map<String, String>> apiException(ApiException ex) {
		return ResponseEntity.status(ex.getStatus())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", String.valueOf(ex.getMessage())));
	}

}
