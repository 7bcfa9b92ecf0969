package io.celery4j.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.protocol.Json;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.PoolType;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Command-line harness: {@code worker} runs a Java worker with the {@code bench.noop}
 * task, {@code fill} queues noop tasks, {@code drain} times how fast a worker empties the
 * queue, {@code latency} sends at a fixed rate and measures send-to-result latency.
 * Results are printed as one {@code key=value} line for {@code bench/run.sh} to collect.
 */
public final class BenchMain {

	private static final String TASK = "bench.noop";

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.err.println("usage: bench.jar worker|fill|drain|latency [--key value ...]");
			System.exit(2);
		}
		Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
		switch (args[0]) {
			case "worker" -> worker(options);
			case "fill" -> fill(options);
			case "drain" -> drain(options);
			case "latency" -> latency(options);
			default -> {
				System.err.println("unknown command '" + args[0] + "'; expected worker, fill, drain or latency");
				System.exit(2);
			}
		}
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new java.util.HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		return options;
	}

	private static void worker(Map<String, String> options) throws InterruptedException {
		Broker broker = Brokers.create(options.getOrDefault("broker", "redis://127.0.0.1:6379/0"));
		ResultBackend backend = ResultBackends.create(options.getOrDefault("backend", "redis://127.0.0.1:6379/1"),
				Duration.ofDays(1));
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskDefinition(TASK, (context) -> null, TaskOptions.defaults(), "BenchMain#noop"));
		PoolType pool = PoolType.valueOf(options.getOrDefault("pool", "threads").toUpperCase(Locale.ROOT));
		int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));
		WorkerOptions workerOptions = new WorkerOptions("bench-" + pool.name().toLowerCase(Locale.ROOT) + "@bench",
				concurrency, pool, List.of(options.getOrDefault("queue", "bench")), 4, Duration.ofSeconds(10),
				Duration.ofHours(1), java.time.ZoneId.of("UTC"));
		WorkerContainer worker = new WorkerContainer(broker, backend, registry, workerOptions);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			worker.stop();
			backend.close();
			broker.close();
			stopped.countDown();
		}));
		worker.start();
		System.out.println("ready.");
		stopped.await();
	}

	private static CeleryClient client(Map<String, String> options) {
		Broker broker = Brokers.create(options.getOrDefault("broker", "redis://127.0.0.1:6379/0"));
		ResultBackend backend = ResultBackends.create(options.getOrDefault("backend", "redis://127.0.0.1:6379/1"),
				Duration.ofDays(1));
		TaskRouter router = new TaskRouter(Map.of(), new TaskRegistry(), options.getOrDefault("queue", "bench"));
		return new CeleryClient(broker, backend, router, java.time.ZoneId.of("UTC"));
	}

	private static void fill(Map<String, String> options) {
		int count = Integer.parseInt(options.getOrDefault("count", "20000"));
		CeleryClient client = client(options);
		for (int i = 0; i < count; i++) {
			client.send(TASK);
		}
		System.out.println("filled=" + count);
		close(client);
	}

	private static void drain(Map<String, String> options) throws InterruptedException {
		int count = Integer.parseInt(options.getOrDefault("count", "20000"));
		Duration limit = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "600")));
		// Results are counted straight in Redis (run.sh flushes it before each
		// measurement),
		// and timed by their own date_done: the span from the first stored result to the
		// last
		// excludes worker start-up and does not depend on when this process started
		// polling.
		RedisClient redis = RedisClient.create(options.getOrDefault("backend", "redis://127.0.0.1:6379/1"));
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			Instant deadline = Instant.now().plus(limit);
			long stored = 0;
			while ((stored = commands.dbsize()) < count && Instant.now().isBefore(deadline)) {
				TimeUnit.MILLISECONDS.sleep(20);
			}
			if (stored < count) {
				System.err.printf(Locale.ROOT, "only %d of %d results after %s%n", stored, count, limit);
				System.exit(1);
			}
			List<LocalDateTime> done = datesDone(commands);
			LocalDateTime first = done.stream().min(LocalDateTime::compareTo).orElseThrow();
			LocalDateTime last = done.stream().max(LocalDateTime::compareTo).orElseThrow();
			double seconds = Duration.between(first, last).toNanos() / 1e9;
			System.out.printf(Locale.ROOT, "drained=%d seconds=%.3f rate=%.1f%n", done.size(), seconds,
					(done.size() - 1) / seconds);
		}
		finally {
			redis.shutdown();
		}
	}

	private static List<LocalDateTime> datesDone(RedisCommands<String, String> commands) {
		List<LocalDateTime> dates = new ArrayList<>();
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> keys = commands.scan(cursor,
					ScanArgs.Builder.matches("celery-task-meta-*").limit(1000));
			if (!keys.getKeys().isEmpty()) {
				for (KeyValue<String, String> record : commands.mget(keys.getKeys().toArray(String[]::new))) {
					Map<?, ?> meta = (Map<?, ?>) Json.read(record.getValue());
					// Celery writes naive UTC ISO dates; tolerate an offset all the same.
					String date = String.valueOf(meta.get("date_done")).replaceFirst("(Z|[+-]\\d\\d:\\d\\d)$", "");
					dates.add(LocalDateTime.parse(date));
				}
			}
			cursor = keys;
		}
		while (!cursor.isFinished());
		return dates;
	}

	private static void latency(Map<String, String> options) throws InterruptedException {
		int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
		CeleryClient client = client(options);
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		AtomicInteger failures = new AtomicInteger();
		ExecutorService waiters = Executors.newFixedThreadPool(64);
		long periodNanos = 1_000_000_000L / rate;
		int total = rate * seconds;
		// Warm up the client's connections and the worker's code paths first.
		for (int i = 0; i < Math.min(rate, 200); i++) {
			client.send(TASK).get(Duration.ofSeconds(30));
		}
		long start = System.nanoTime();
		for (int i = 0; i < total; i++) {
			long wait = start + i * periodNanos - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			long sent = System.nanoTime();
			AsyncResult result = client.send(TASK);
			waiters.execute(() -> {
				try {
					result.get(Duration.ofSeconds(30));
					latencies.add(System.nanoTime() - sent);
				}
				catch (RuntimeException ex) {
					failures.incrementAndGet();
				}
			});
		}
		waiters.shutdown();
		waiters.awaitTermination(60, TimeUnit.SECONDS);
		List<Long> sorted = new ArrayList<>(latencies);
		sorted.sort(null);
		if (sorted.isEmpty() || failures.get() > 0) {
			System.err.printf(Locale.ROOT, "%d of %d tasks had no result in time%n", total - sorted.size(), total);
			System.exit(1);
		}
		System.out.printf(Locale.ROOT, "latency_count=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f%n", sorted.size(),
				percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
		close(client);
	}

	private static double percentile(List<Long> sorted, int percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index)) / 1e6;
	}

	private static void close(CeleryClient client) {
		client.getBackend().close();
		client.getBroker().close();
	}

}
