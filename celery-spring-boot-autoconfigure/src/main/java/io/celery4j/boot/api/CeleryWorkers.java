package io.celery4j.boot.api;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.celery4j.control.CeleryControl;
import io.celery4j.protocol.PythonRepr;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.TaskRequest;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.TaskPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Flower's {@code /api/workers} shows: per node name {@code stats},
 * {@code registered}, {@code active} and {@code active_queues}, in Celery's shapes.
 * Remote workers (Java or Python) answer through {@link CeleryControl}; the local worker
 * is described from its own state when it does not answer itself.
 */
public class CeleryWorkers {

	private static final Logger logger = LoggerFactory.getLogger(CeleryWorkers.class);

	private final @Nullable WorkerContainer worker;

	private final TaskRegistry tasks;

	private final @Nullable CeleryControl control;

	/**
	 * Create the view.
	 * @param worker the local worker, if any
	 * @param tasks the local task registry
	 * @param control remote control, or {@code null} to describe the local worker only
	 */
	public CeleryWorkers(@Nullable WorkerContainer worker, TaskRegistry tasks, @Nullable CeleryControl control) {
		this.worker = worker;
		this.tasks = tasks;
		this.control = control;
	}

	/**
	 * Return every live worker by node name.
	 * @return {@code {node: {"stats", "registered", "active", "active_queues"}}}
	 */
	public Map<String, Map<String, @Nullable Object>> describe() {
		Map<String, Map<String, @Nullable Object>> workers = new LinkedHashMap<>();
		CeleryControl control = this.control;
		if (control != null) {
			// Each inspect waits for the whole timeout: ask all four at once.
			CompletableFuture<Map<String, @Nullable Object>> stats = ask(control::stats);
			CompletableFuture<Map<String, @Nullable Object>> registered = ask(control::registered);
			CompletableFuture<Map<String, @Nullable Object>> active = ask(control::active);
			CompletableFuture<Map<String, @Nullable Object>> queues = ask(control::activeQueues);
			put(workers, "stats", stats.join());
			put(workers, "registered", registered.join());
			put(workers, "active", active.join());
			put(workers, "active_queues", queues.join());
		}
		WorkerContainer worker = this.worker;
		if (worker != null && worker.isRunning() && !workers.containsKey(worker.getOptions().nodeName())) {
			workers.put(worker.getOptions().nodeName(), local(worker));
		}
		return workers;
	}

	private static CompletableFuture<Map<String, @Nullable Object>> ask(
			Supplier<Map<String, @Nullable Object>> inspect) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return inspect.get();
			}
			catch (RuntimeException ex) {
				logger.warn("Workers could not be inspected: {}", ex.getMessage());
				return Map.of();
			}
		});
	}

	private static void put(Map<String, Map<String, @Nullable Object>> workers, String field,
			Map<String, @Nullable Object> replies) {
		replies
			.forEach((node, reply) -> workers.computeIfAbsent(node, (name) -> new LinkedHashMap<>()).put(field, reply));
	}

	private Map<String, @Nullable Object> local(WorkerContainer worker) {
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("stats", stats(worker));
		info.put("registered", this.tasks.all().stream().map(TaskDefinition::name).sorted().toList());
		info.put("active", worker.getState().getActive().stream().map((request) -> request(request, worker)).toList());
		info.put("active_queues", worker.getOptions().queues().stream().map(CeleryWorkers::queue).toList());
		return info;
	}

	private static Map<String, @Nullable Object> stats(WorkerContainer worker) {
		WorkerOptions options = worker.getOptions();
		TaskPool pool = worker.getPool();
		Map<String, @Nullable Object> poolInfo = new LinkedHashMap<>();
		poolInfo.put("implementation", options.pool().name().toLowerCase(Locale.ROOT));
		poolInfo.put("max-concurrency", (pool != null) ? pool.getSize() : options.concurrency());
		Map<String, @Nullable Object> stats = new LinkedHashMap<>();
		stats.put("total", worker.getState().getTotals());
		stats.put("pid", ProcessHandle.current().pid());
		stats.put("uptime", Duration.between(worker.getState().getStartedAt(), Instant.now()).toSeconds());
		stats.put("pool", poolInfo);
		stats.put("prefetch_count", options.prefetchLimit());
		stats.put("processed", worker.getState().getProcessed());
		stats.put("jvm", ManagementFactory.getRuntimeMXBean().getVmName());
		return stats;
	}

	private static Map<String, @Nullable Object> request(TaskRequest request, WorkerContainer worker) {
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("id", request.getId());
		info.put("name", request.getName());
		info.put("args", request.getMessage().args());
		info.put("kwargs", request.getMessage().kwargs());
		info.put("argsrepr", PythonRepr.args(request.getMessage().args()));
		info.put("hostname", worker.getOptions().nodeName());
		Instant started = request.getStartedAt();
		info.put("time_start", (started != null) ? started.toEpochMilli() / 1000.0 : null);
		info.put("acknowledged", request.isSettled());
		info.put("delivery_info", Map.of("routing_key", request.getDelivery().queue(), "redelivered", false));
		return info;
	}

	private static Map<String, @Nullable Object> queue(String name) {
		Map<String, @Nullable Object> queue = new LinkedHashMap<>();
		queue.put("name", name);
		queue.put("exchange", Map.of("name", name, "type", "direct"));
		queue.put("routing_key", name);
		queue.put("durable", true);
		queue.put("exclusive", false);
		queue.put("auto_delete", false);
		return queue;
	}

	/**
	 * Return the remote control this view uses.
	 * @return the control, or {@code null}
	 */
	public @Nullable CeleryControl getControl() {
		return this.control;
	}

}
