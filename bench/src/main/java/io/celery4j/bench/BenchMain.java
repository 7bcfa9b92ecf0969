package io.celery4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.Priorities;
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
import io.lettuce.core.RedisURI;
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

	private static Broker broker(Map<String, String> options) {
		return Brokers.create(options.getOrDefault("broker", "redis://127.0.0.1:6379/0"));
	}

	private static CeleryClient client(Map<String, String> options) {
		return client(options, broker(options));
	}

	private static CeleryClient client(Map<String, String> options, Broker broker) {
		ResultBackend backend = ResultBackends.create(options.getOrDefault("backend", "redis://127.0.0.1:6379/1"),
				Duration.ofDays(1));
		TaskRouter router = new TaskRouter(Map.of(), new TaskRegistry(), options.getOrDefault("queue", "bench"));
		return new CeleryClient(broker, backend, router, java.time.ZoneId.of("UTC"));
	}

	/**
	 * Queue {@code --count} noop tasks on {@code --queue}. With {@code --key}, the same
	 * messages (routed to the queue, byte for byte as without it) are pushed onto that
	 * Redis list key instead, for run.sh to {@code RENAME} onto the queue's key while a
	 * worker waits on it: the whole batch then appears at once.
	 */
	private static void fill(Map<String, String> options) {
		int count = Integer.parseInt(options.getOrDefault("count", "20000"));
		String key = options.get("key");
		CeleryClient client = (key != null) ? client(options, new StagingBroker(broker(options), key))
				: client(options);
		for (int i = 0; i < count; i++) {
			client.send(TASK);
		}
		System.out.println("filled=" + count);
		close(client);
	}

	/**
	 * Wait until {@code --count} results are stored in the backend and print the rate
	 * from the first {@code date_done} to the last, with the CPU per task of the worker
	 * and redis-server. With {@code --staging-key}, the poller itself releases the batch:
	 * it takes the first CPU sample, then renames the staging key onto the queue's key
	 * ({@code RENAMENX} on the broker, queue {@code --queue}), so the CPU window starts
	 * with the batch however late this poller first looks.
	 */
	private static void drain(Map<String, String> options) throws Exception {
		int count = Integer.parseInt(options.getOrDefault("count", "20000"));
		Duration limit = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "600")));
		Path workerPidFile = Path.of(options.getOrDefault("worker-pidfile", "bench/out/worker.pid"));
		long redisPid = Long.parseLong(options.getOrDefault("redis-pid", "0"));
		String stagingKey = options.get("staging-key");
		// Results are counted in Redis (run.sh flushes it first) and timed by their own
		// date_done, so the rate excludes start-up whenever this poller looks. CPU is
		// sampled at the first result seen (or at the release of a staged batch) and at
		// the last: what the worker (with its child processes) and redis-server spent per
		// task, whatever else runs on the machine.
		RedisClient redis = RedisClient.create(options.getOrDefault("backend", "redis://127.0.0.1:6379/1"));
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			// One round trip and one CPU sample before "polling", so that the first look
			// after it does not wait for class loading while a worker drains at full
			// speed.
			long stored = commands.dbsize();
			cpu(redisPid);
			long firstSeen = -1;
			long workerPid = 0;
			Duration workerCpu = Duration.ZERO;
			Duration redisCpu = Duration.ZERO;
			if (stagingKey != null) {
				if (stored != 0) {
					System.err.printf(Locale.ROOT, "the backend holds %d results before the staged batch%n", stored);
					System.exit(1);
				}
				String queue = options.getOrDefault("queue", "bench");
				RedisURI brokerUri = RedisURI.create(options.getOrDefault("broker", "redis://127.0.0.1:6379/0"));
				try (StatefulRedisConnection<String, String> broker = redis.connect(brokerUri)) {
					firstSeen = 0;
					workerPid = Long.parseLong(Files.readString(workerPidFile).trim());
					workerCpu = cpu(workerPid);
					redisCpu = cpu(redisPid);
					// One command: Redis wakes a worker blocked in BRPOP on the queue's
					// key
					// (priority 0) as it does for a push.
					if (!broker.sync().renamenx(stagingKey, queue)) {
						System.err.printf(Locale.ROOT,
								"the queue's key '%s' was not empty when '%s' was to be " + "renamed onto it%n", queue,
								stagingKey);
						System.exit(1);
					}
				}
			}
			System.out.println("polling");
			System.out.flush();
			Instant deadline = Instant.now().plus(limit);
			while ((stored = commands.dbsize()) < count && Instant.now().isBefore(deadline)) {
				if (firstSeen < 0 && stored > 0) {
					firstSeen = stored;
					workerPid = Long.parseLong(Files.readString(workerPidFile).trim());
					workerCpu = cpu(workerPid);
					redisCpu = cpu(redisPid);
				}
				TimeUnit.MILLISECONDS.sleep(5);
			}
			if (stored < count) {
				System.err.printf(Locale.ROOT, "only %d of %d results after %s%n", stored, count, limit);
				System.exit(1);
			}
			String cpu;
			if (firstSeen < 0) {
				// The first look came after the last result: no window to divide.
				cpu = "worker_cpu_ms=n/a redis_cpu_ms=n/a";
			}
			else {
				long measured = stored - firstSeen;
				cpu = String.format(Locale.ROOT, "worker_cpu_ms=%.3f redis_cpu_ms=%.3f",
						cpu(workerPid).minus(workerCpu).toNanos() / 1e6 / measured,
						cpu(redisPid).minus(redisCpu).toNanos() / 1e6 / measured);
			}
			List<LocalDateTime> done = datesDone(commands);
			LocalDateTime first = done.stream().min(LocalDateTime::compareTo).orElseThrow();
			LocalDateTime last = done.stream().max(LocalDateTime::compareTo).orElseThrow();
			double seconds = Duration.between(first, last).toNanos() / 1e9;
			System.out.printf(Locale.ROOT, "drained=%d seconds=%.3f rate=%.1f %s cpu_from_result=%d%n", done.size(),
					seconds, (done.size() - 1) / seconds, cpu, Math.max(firstSeen, 0));
		}
		finally {
			redis.shutdown();
		}
	}

	/**
	 * CPU time of a process and all its descendants (Python prefork's pool processes).
	 */
	private static Duration cpu(long pid) {
		if (pid <= 0) {
			return Duration.ZERO;
		}
		ProcessHandle process = ProcessHandle.of(pid)
			.orElseThrow(() -> new IllegalStateException("process " + pid + " is not running"));
		return Stream.concat(Stream.of(process), process.descendants())
			.map((handle) -> handle.info().totalCpuDuration().orElse(Duration.ZERO))
			.reduce(Duration.ZERO, Duration::plus);
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

	/**
	 * Send {@code bench.noop} at {@code --rate} tasks/s for {@code --seconds} s and print
	 * p50/p99/max of send-to-result. Before that: 200 synchronous sends (connections, and
	 * a worker that consumes), then {@code --warmup} seconds (default 0) at the same
	 * fixed rate, waited for on the same waiter pool; the measured phase starts once
	 * every warm-up result has arrived, so the two do not overlap. The warm-up's
	 * latencies stay out of the measured figures; they are printed apart
	 * ({@code warmup_p50_ms}, {@code warmup_p99_ms}) as the cold figures: what the
	 * measured phase gave before there was a warm-up.
	 */
	private static void latency(Map<String, String> options) throws InterruptedException {
		int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
		int warmupSeconds = Integer.parseInt(options.getOrDefault("warmup", "0"));
		CeleryClient client = client(options);
		ExecutorService waiters = Executors.newFixedThreadPool(64);
		// Warm up the client's connections and the worker's code paths first.
		for (int i = 0; i < Math.min(rate, 200); i++) {
			client.send(TASK).get(Duration.ofSeconds(30));
		}
		StringBuilder line = new StringBuilder();
		if (warmupSeconds > 0) {
			List<Long> warmup = paced(client, waiters, rate, rate * warmupSeconds, "warm-up");
			line.append(String.format(Locale.ROOT, " warmup_count=%d warmup_p50_ms=%.3f warmup_p99_ms=%.3f",
					warmup.size(), percentile(warmup, 50), percentile(warmup, 99)));
		}
		List<Long> measured = paced(client, waiters, rate, rate * seconds, "measured");
		waiters.shutdown();
		System.out.printf(Locale.ROOT, "latency_count=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f%s%n", measured.size(),
				percentile(measured, 50), percentile(measured, 99), measured.get(measured.size() - 1) / 1e6, line);
		close(client);
	}

	/**
	 * Send {@code total} tasks at a fixed rate, each waited for on the waiter pool, and
	 * return their send-to-result latencies in nanoseconds, sorted, once every result has
	 * arrived (exits when one has not within 60 s of the last send).
	 */
	private static List<Long> paced(CeleryClient client, ExecutorService waiters, int rate, int total, String phase)
			throws InterruptedException {
		long periodNanos = 1_000_000_000L / rate;
		Queue<Long> latencies = new ConcurrentLinkedQueue<>();
		CountDownLatch arrived = new CountDownLatch(total);
		AtomicInteger failures = new AtomicInteger();
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
				finally {
					arrived.countDown();
				}
			});
		}
		if (!arrived.await(60, TimeUnit.SECONDS) || failures.get() > 0) {
			System.err.printf(Locale.ROOT, "%s phase: %d of %d tasks had no result in time%n", phase,
					arrived.getCount() + failures.get(), total);
			System.exit(1);
		}
		List<Long> sorted = new ArrayList<>(latencies);
		sorted.sort(null);
		return sorted;
	}

	private static double percentile(List<Long> sorted, int percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index)) / 1e6;
	}

	private static void close(CeleryClient client) {
		client.getBackend().close();
		client.getBroker().close();
	}

	/**
	 * A broker that publishes onto one fixed Redis list key instead of the queue's own,
	 * the message still routed to the queue (its envelope names the queue as routing
	 * key). Only publishing is redirected; it is used by {@code fill --key}.
	 */
	private static final class StagingBroker implements Broker {

		private final Broker delegate;

		private final String key;

		StagingBroker(Broker delegate, String key) {
			this.delegate = delegate;
			this.key = key;
		}

		@Override
		public void declareQueue(String queue) {
			this.delegate.declareQueue(queue);
		}

		@Override
		public void publish(String queue, int priority, String envelope) {
			if (Priorities.stepIndex(priority) != 0) {
				// kombu keeps higher priority steps in other lists, which a RENAME of the
				// key would not move
				throw new IllegalArgumentException(
						"fill --key takes messages of priority 0 to 2 only, got priority " + priority);
			}
			this.delegate.publish(this.key, priority, envelope);
		}

		@Override
		public List<Delivery> fetch(List<String> queues, int max, Duration timeout) throws InterruptedException {
			return this.delegate.fetch(queues, max, timeout);
		}

		@Override
		public void ack(Delivery delivery) {
			this.delegate.ack(delivery);
		}

		@Override
		public void requeue(Delivery delivery) {
			this.delegate.requeue(delivery);
		}

		@Override
		public void restore(Collection<Delivery> deliveries) {
			this.delegate.restore(deliveries);
		}

		@Override
		public int restoreExpired(Duration visibilityTimeout) {
			return this.delegate.restoreExpired(visibilityTimeout);
		}

		@Override
		public long queueLength(String queue) {
			return this.delegate.queueLength(queue);
		}

		@Override
		public void ping() {
			this.delegate.ping();
		}

		@Override
		public String maskedUrl() {
			return this.delegate.maskedUrl();
		}

		@Override
		public void close() {
			this.delegate.close();
		}

	}

}
