package io.celery4j.boot.endpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.beat.NextRun;
import io.celery4j.broker.Broker;
import io.celery4j.control.CeleryControl;
import io.celery4j.control.TaskLimits;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.TaskPool;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code celery} actuator endpoint: {@code {"workers", "queues", "tasks",
 * "schedules"}}. Workers are the local worker and every worker that answers a remote
 * ping; queues carry their length; tasks their options; schedules the next run of each
 * beat entry. Write operations: {@code POST /actuator/celery/revoke} with
 * {@code {"taskId", "terminate"}}, and {@code POST /actuator/celery/rate-limit} with
 * {@code {"task", "rateLimit"}}, which changes the rate limit on the local worker and
 * every remote one (Celery's {@code rate_limit}).
 */
@Endpoint(id = "celery")
public class CeleryEndpoint {

	private final Broker broker;

	private final TaskRegistry tasks;

	private final List<String> queues;

	private final @Nullable WorkerContainer worker;

	private final @Nullable CeleryControl control;

	private final @Nullable BeatScheduler beat;

	/**
	 * Create the endpoint.
	 * @param broker the broker that queue lengths are read from
	 * @param tasks the local task registry
	 * @param queues the queues to report
	 * @param worker the local worker, if any
	 * @param control remote control, if any (remote workers and revoke)
	 * @param beat the beat scheduler, if any (schedules)
	 */
	public CeleryEndpoint(Broker broker, TaskRegistry tasks, List<String> queues, @Nullable WorkerContainer worker,
			@Nullable CeleryControl control, @Nullable BeatScheduler beat) {
		this.broker = broker;
		this.tasks = tasks;
		this.queues = List.copyOf(queues);
		this.worker = worker;
		this.control = control;
		this.beat = beat;
	}

	@ReadOperation
	public CeleryDescriptor celery() {
		return new CeleryDescriptor(workers(), queues(), tasks(), schedules());
	}

	private List<WorkerDescriptor> workers() {
		List<WorkerDescriptor> workers = new ArrayList<>();
		WorkerContainer worker = this.worker;
		String localName = null;
		if (worker != null) {
			WorkerOptions options = worker.getOptions();
			TaskPool pool = worker.getPool();
			localName = options.nodeName();
			workers.add(new WorkerDescriptor(localName, true, worker.isRunning(),
					options.pool().name().toLowerCase(Locale.ROOT),
					(pool != null) ? pool.getSize() : options.concurrency(), options.queues(),
					worker.getState().getActive().size(), worker.getPrefetched(), worker.getState().getProcessed()));
		}
		CeleryControl control = this.control;
		if (control != null) {
			for (String node : control.ping().keySet()) {
				if (!node.equals(localName)) {
					workers.add(new WorkerDescriptor(node, false, true, null, null, List.of(), null, null, null));
				}
			}
		}
		return workers;
	}

	private List<QueueDescriptor> queues() {
		return this.queues.stream().map((queue) -> new QueueDescriptor(queue, length(queue))).toList();
	}

	private @Nullable Long length(String queue) {
		try {
			return this.broker.queueLength(queue);
		}
		catch (RuntimeException ex) {
			// The broker does not answer: health reports why; the length is unknown.
			return null;
		}
	}

	private List<TaskDescriptor> tasks() {
		return this.tasks.all()
			.stream()
			.sorted(Comparator.comparing(TaskDefinition::name))
			.map((task) -> new TaskDescriptor(task.name(), task.options().queue(), task.options().acksLate(),
					task.options().ignoreResult(), task.source()))
			.toList();
	}

	private List<ScheduleDescriptor> schedules() {
		BeatScheduler beat = this.beat;
		if (beat == null) {
			return List.of();
		}
		return beat.nextRuns()
			.stream()
			.map((run) -> new ScheduleDescriptor(run.name(), run.task(), run.schedule(), run.lastRun(), run.nextRun()))
			.toList();
	}

	@WriteOperation
	public WebEndpointResponse<ControlReply> control(@Selector String command, @Nullable String taskId,
			@Nullable Boolean terminate, @Nullable String task, @Nullable String rateLimit) {
		return switch (command) {
			case "revoke" -> revoke(taskId, Boolean.TRUE.equals(terminate));
			case "rate-limit" -> rateLimit(task, rateLimit);
			default -> new WebEndpointResponse<>(new ControlReply(command, false,
					"Unknown command '" + command + "'; use 'revoke' or 'rate-limit'.", Map.of()), 400);
		};
	}

	private WebEndpointResponse<ControlReply> revoke(@Nullable String taskId, boolean terminate) {
		if (taskId == null || taskId.isBlank()) {
			return new WebEndpointResponse<>(new ControlReply("revoke", false,
					"Command 'revoke' needs 'taskId', the id of the task to revoke.", Map.of()), 400);
		}
		CeleryControl control = this.control;
		if (control == null) {
			return new WebEndpointResponse<>(new ControlReply("revoke", false,
					"Revoking task '" + taskId + "' needs remote control (io.celery4j.control.CeleryControl).",
					Map.of()), 501);
		}
		Map<String, @Nullable Object> replies = control.revoke(taskId, terminate);
		return new WebEndpointResponse<>(new ControlReply("revoke", true, "Revoked '" + taskId + "'"
				+ (terminate ? " with terminate" : "") + "; " + replies.size() + " worker(s) replied.", replies), 200);
	}

	/**
	 * Broadcast Celery's {@code rate_limit}; the local worker applies it through its own
	 * remote control, or directly (the same command) when that did not answer.
	 */
	private WebEndpointResponse<ControlReply> rateLimit(@Nullable String task, @Nullable String rateLimit) {
		if (task == null || task.isBlank()) {
			return new WebEndpointResponse<>(new ControlReply("rate-limit", false,
					"Command 'rate-limit' needs 'task', the name of the task to limit, and 'rateLimit' such as "
							+ "'10/s' (omit it or use '0' to remove the limit).",
					Map.of()), 400);
		}
		try {
			RateLimit.parse(rateLimit, RateLimit.Scope.WORKER);
		}
		catch (IllegalArgumentException ex) {
			return new WebEndpointResponse<>(new ControlReply("rate-limit", false,
					"Rate limit of task '" + task + "' not changed: " + ex.getMessage(), Map.of()), 400);
		}
		Map<String, @Nullable Object> replies = new LinkedHashMap<>();
		CeleryControl control = this.control;
		if (control != null) {
			replies.putAll(control.rateLimit(task, rateLimit));
		}
		WorkerContainer worker = this.worker;
		if (worker != null && !replies.containsKey(worker.getOptions().nodeName())) {
			replies.put(worker.getOptions().nodeName(), TaskLimits.rateLimit(worker.getRegistry(), task, rateLimit));
		}
		long changed = replies.values()
			.stream()
			.filter((reply) -> reply instanceof Map<?, ?> map && map.containsKey("ok"))
			.count();
		if (changed == 0) {
			return new WebEndpointResponse<>(
					new ControlReply("rate-limit", false, "No worker changed the rate limit " + "of task '" + task
							+ "': " + replies.size() + " worker(s) replied and none runs that task.", replies),
					404);
		}
		String limit = (rateLimit != null && !rateLimit.isBlank()) ? "'" + rateLimit + "'" : "none";
		return new WebEndpointResponse<>(new ControlReply("rate-limit", true,
				"Rate limit of task '" + task + "' set to " + limit + " on " + changed + " worker(s).", replies), 200);
	}

	/**
	 * What the endpoint shows.
	 *
	 * @param workers the local worker and the remote ones that answered a ping
	 * @param queues the queues with their lengths
	 * @param tasks the tasks registered here with their options
	 * @param schedules beat's entries with their next run
	 */
	public record CeleryDescriptor(List<WorkerDescriptor> workers, List<QueueDescriptor> queues,
			List<TaskDescriptor> tasks, List<ScheduleDescriptor> schedules) {
	}

	/**
	 * A worker; details other than the name are known for the local worker only.
	 *
	 * @param name the node name
	 * @param local whether it runs in this application
	 * @param running whether it consumes now
	 * @param pool the pool type
	 * @param concurrency the pool size
	 * @param queues the queues it consumes
	 * @param active tasks running now
	 * @param prefetched messages held against the prefetch limit
	 * @param processed tasks started since the worker started
	 */
	public record WorkerDescriptor(String name, boolean local, boolean running, @Nullable String pool,
			@Nullable Integer concurrency, List<String> queues, @Nullable Integer active, @Nullable Integer prefetched,
			@Nullable Long processed) {
	}

	/**
	 * A queue.
	 *
	 * @param name the queue name
	 * @param messages messages waiting, {@code null} while the broker does not answer
	 */
	public record QueueDescriptor(String name, @Nullable Long messages) {
	}

	/**
	 * A registered task.
	 *
	 * @param name the task name
	 * @param queue its own queue, if declared
	 * @param acksLate whether it acknowledges after running
	 * @param ignoreResult whether it stores no result
	 * @param source where it was declared
	 */
	public record TaskDescriptor(String name, @Nullable String queue, boolean acksLate, boolean ignoreResult,
			String source) {
	}

	/**
	 * A beat schedule entry.
	 *
	 * @param name the entry name
	 * @param task the task it sends
	 * @param schedule the schedule as logged
	 * @param lastRun the last run, if any
	 * @param nextRun the next run
	 */
	public record ScheduleDescriptor(String name, String task, String schedule,
			@JsonProperty("last-run") @Nullable Instant lastRun, @JsonProperty("next-run") Instant nextRun) {
	}

	/**
	 * The answer to a write operation.
	 *
	 * @param command the command
	 * @param ok whether it was carried out
	 * @param message what happened
	 * @param workers each worker's reply by node name, as Celery's remote control returns
	 * them
	 */
	public record ControlReply(String command, boolean ok, String message, Map<String, @Nullable Object> workers) {
	}

}
