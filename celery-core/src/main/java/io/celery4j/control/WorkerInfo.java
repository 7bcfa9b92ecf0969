package io.celery4j.control;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.celery4j.broker.BrokerUrl;
import io.celery4j.events.EventDispatcher;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.worker.TaskRequest;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.pool.TaskPool;
import org.jspecify.annotations.Nullable;

/**
 * The shapes Celery's inspect commands reply with, built from a Java worker's state:
 * request descriptions ({@code Request.info()}), {@code stats} and kombu queue
 * descriptions (PROTOCOL.md 7.3).
 */
final class WorkerInfo {

	/** The timer priority Celery's consumer gives eta requests. */
	private static final int ETA_TIMER_PRIORITY = 6;

	private static final long PID = ProcessHandle.current().pid();

	private WorkerInfo() {
	}

	static Map<String, @Nullable Object> request(TaskRequest request, String nodeName, boolean started) {
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("id", request.getId());
		info.put("name", request.getName());
		info.put("args", request.getMessage().args());
		info.put("kwargs", request.getMessage().kwargs());
		info.put("type", request.getName());
		info.put("hostname", nodeName);
		Instant startedAt = request.getStartedAt();
		info.put("time_start", (started && startedAt != null) ? EventDispatcher.epochSeconds(startedAt) : null);
		info.put("acknowledged", request.isSettled());
		Map<String, @Nullable Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", request.getDelivery().exchange());
		deliveryInfo.put("routing_key", request.getDelivery().routingKey());
		deliveryInfo.put("priority", request.getMessage().properties().priority());
		deliveryInfo.put("redelivered", request.getMessage().properties().extra().get("redelivered"));
		info.put("delivery_info", deliveryInfo);
		info.put("worker_pid", started ? PID : null);
		return info;
	}

	static List<Map<String, @Nullable Object>> requests(List<TaskRequest> requests, String nodeName, boolean started) {
		List<Map<String, @Nullable Object>> infos = new ArrayList<>();
		for (TaskRequest request : requests) {
			infos.add(request(request, nodeName, started));
		}
		return infos;
	}

	static List<Map<String, @Nullable Object>> scheduled(List<TaskRequest> requests, String nodeName) {
		List<Map<String, @Nullable Object>> infos = new ArrayList<>();
		for (TaskRequest request : requests) {
			Map<String, @Nullable Object> entry = new LinkedHashMap<>();
			Instant eta = request.getEta();
			entry.put("eta", (eta != null) ? CeleryDates.format(eta, ZoneOffset.UTC) : null);
			entry.put("priority", ETA_TIMER_PRIORITY);
			entry.put("request", request(request, nodeName, false));
			infos.add(entry);
		}
		return infos;
	}

	static Map<String, @Nullable Object> stats(WorkerContainer worker) {
		Map<String, @Nullable Object> stats = new LinkedHashMap<>();
		stats.put("total", worker.getState().getTotals());
		stats.put("pid", PID);
		stats.put("clock", String.valueOf(worker.getClock().value()));
		stats.put("uptime", Duration.between(worker.getState().getStartedAt(), Instant.now()).toSeconds());
		stats.put("pool", pool(worker));
		stats.put("broker", broker(worker.getBroker().maskedUrl()));
		int prefetch = worker.getPrefetchLimit();
		stats.put("prefetch_count", (prefetch == Integer.MAX_VALUE) ? 0 : prefetch);
		stats.put("rusage", rusage());
		return stats;
	}

	private static Map<String, @Nullable Object> pool(WorkerContainer worker) {
		TaskPool pool = worker.getPool();
		int size = (pool != null) ? pool.getSize() : worker.getOptions().concurrency();
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("max-concurrency", size);
		// One JVM process runs every task: Celery lists its pool processes here.
		info.put("processes", List.of(PID));
		info.put("max-tasks-per-child", "N/A");
		info.put("put-guarded-by-semaphore", false);
		info.put("timeouts", List.of(0, 0));
		info.put("implementation", worker.getOptions().pool().name().toLowerCase(Locale.ROOT));
		info.put("busy", (pool != null) ? pool.getBusy() : 0);
		return info;
	}

	static Map<String, @Nullable Object> broker(String maskedUrl) {
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		try {
			BrokerUrl url = BrokerUrl.parse(maskedUrl);
			boolean memory = url.isMemory();
			info.put("hostname", memory ? "localhost" : url.host());
			info.put("userid", url.username());
			info.put("virtual_host", String.valueOf(url.database()));
			info.put("port", memory ? null : url.port());
			info.put("insist", false);
			info.put("ssl", url.isSsl());
			info.put("transport", memory ? "memory" : "redis");
		}
		catch (IllegalArgumentException ex) {
			info.put("hostname", maskedUrl);
			info.put("transport", "redis");
		}
		info.put("connect_timeout", 4);
		info.put("transport_options", Map.of());
		info.put("login_method", null);
		info.put("uri_prefix", null);
		info.put("heartbeat", 120.0);
		info.put("failover_strategy", "round-robin");
		info.put("alternates", List.of());
		return info;
	}

	private static Map<String, @Nullable Object> rusage() {
		Map<String, @Nullable Object> rusage = new LinkedHashMap<>();
		// The JVM reports user and system time together; Celery's getrusage splits them.
		Duration cpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
		rusage.put("utime", cpu.toNanos() / 1e9);
		rusage.put("maxrss", Runtime.getRuntime().totalMemory() / 1024);
		return rusage;
	}

	static List<Map<String, @Nullable Object>> activeQueues(List<String> queues) {
		List<Map<String, @Nullable Object>> infos = new ArrayList<>();
		for (String queue : queues) {
			Map<String, @Nullable Object> exchange = new LinkedHashMap<>();
			exchange.put("name", queue);
			exchange.put("type", "direct");
			exchange.put("arguments", null);
			exchange.put("durable", true);
			exchange.put("passive", false);
			exchange.put("auto_delete", false);
			exchange.put("delivery_mode", null);
			exchange.put("no_declare", false);
			Map<String, @Nullable Object> info = new LinkedHashMap<>();
			info.put("name", queue);
			info.put("exchange", exchange);
			info.put("routing_key", queue);
			info.put("queue_arguments", null);
			info.put("binding_arguments", null);
			info.put("consumer_arguments", null);
			info.put("durable", true);
			info.put("exclusive", false);
			info.put("auto_delete", false);
			info.put("no_ack", false);
			info.put("alias", null);
			info.put("bindings", List.of());
			info.put("no_declare", null);
			info.put("expires", null);
			info.put("message_ttl", null);
			info.put("max_length", null);
			info.put("max_length_bytes", null);
			info.put("max_priority", null);
			infos.add(info);
		}
		return infos;
	}

}
