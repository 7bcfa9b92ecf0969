package io.celery4j.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.events.Event;
import io.celery4j.events.EventReceiver;
import io.celery4j.events.Fanout;
import io.celery4j.protocol.Json;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.RedisTestServer;
import io.celery4j.worker.WorkerContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Remote control and events between a Java worker and real Python Celery 5.2.6 on one
 * Redis: {@code celery inspect}, {@code celery status}, {@code celery control revoke} and
 * Celery's event receiver against the Java worker; the Java control client and event
 * receiver against a Python worker. Skipped without Python Celery
 * ({@link PythonCelery#require()}), unless {@code CELERY_INTEROP=required}. Uses db 11
 * (broker) and 12 (results), flushed before each test; every Python process is killed at
 * the end of its test.
 */
class ControlInteropTests {

	private static PythonCelery pythonCelery;

	private static final int BROKER_DB = 11;

	private static final int BACKEND_DB = 12;

	private static final Duration PYTHON_TIMEOUT = Duration.ofSeconds(30);

	/** How long the Python side waits for a Java worker's reply. */
	private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

	/** How long the Python side waits when no reply is expected. */
	private static final Duration NO_REPLY_TIMEOUT = Duration.ofSeconds(3);

	private final List<Process> processes = new ArrayList<>();

	private @Nullable ControlHarness harness;

	private String brokerUrl = "";

	@BeforeAll
	static void requirePythonCelery() {
		pythonCelery = PythonCelery.require();
	}

	@BeforeEach
	void flush() {
		RedisTestServer redis = RedisTestServer.get();
		for (int db : new int[] { BROKER_DB, BACKEND_DB }) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(redis.host(), redis.port());
			factory.setDatabase(db);
			factory.afterPropertiesSet();
			factory.start();
			try (RedisConnection connection = factory.getConnection()) {
				connection.serverCommands().flushDb();
			}
			factory.destroy();
		}
		this.brokerUrl = redis.url(BROKER_DB);
	}

	@AfterEach
	void stop() throws InterruptedException {
		for (Process process : this.processes) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
		if (this.harness != null) {
			this.harness.close();
		}
	}

	private ControlHarness javaWorkerHarness() {
		this.harness = new ControlHarness(this.brokerUrl, RedisTestServer.get().url(BACKEND_DB));
		return this.harness;
	}

	@Test
	void pythonInspectSeesTheJavaWorkerPingRegisteredActiveAndStats() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		ControlHarness harness = javaWorkerHarness().task("tasks.add", (context) -> 5)
			.task("tasks.sleep", (context) -> release.await(20, TimeUnit.SECONDS));
		WorkerContainer worker = harness.start(2);
		AsyncResult sleeping = harness.client.send("tasks.sleep", 2);
		try {
			await().atMost(ControlHarness.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
			String json = python("""
					import json, sys
					from celery import Celery
					app = Celery(broker=sys.argv[1])
					inspect = app.control.inspect(timeout=10, destination=[sys.argv[2]])
					print(json.dumps({'ping': inspect.ping(), 'registered': inspect.registered(),
					                  'active': inspect.active(), 'stats': inspect.stats()}))
					""", this.brokerUrl, harness.nodeName);
			Map<?, ?> replies = (Map<?, ?>) Json.read(json.lines().reduce((a, b) -> b).orElseThrow());
			assertThat(replies.get("ping")).isEqualTo(Map.of(harness.nodeName, Map.of("ok", "pong")));
			assertThat(replies.get("registered"))
				.isEqualTo(Map.of(harness.nodeName, List.of("tasks.add", "tasks.sleep")));
			List<?> active = (List<?>) ((Map<?, ?>) replies.get("active")).get(harness.nodeName);
			assertThat(active).hasSize(1);
			assertThat(((Map<?, ?>) active.get(0)).get("id")).isEqualTo(sleeping.getId());
			assertThat(((Map<?, ?>) active.get(0)).get("name")).isEqualTo("tasks.sleep");
			Map<?, ?> stats = (Map<?, ?>) ((Map<?, ?>) replies.get("stats")).get(harness.nodeName);
			assertThat(stats.get("total")).isEqualTo(Map.of("tasks.sleep", 1));
			assertThat(((Map<?, ?>) stats.get("pool")).get("max-concurrency")).isEqualTo(2);
			assertThat(((Map<?, ?>) stats.get("broker")).get("transport")).isEqualTo("redis");
		}
		finally {
			release.countDown();
		}
		String status = celeryCli("status", "-d", harness.nodeName);
		assertThat(status).contains("->  " + harness.nodeName + ": OK").contains("1 node online.");
		String ping = celeryCli("inspect", "ping", "-d", harness.nodeName);
		assertThat(ping).contains("->  " + harness.nodeName + ": OK").contains("pong");
	}

	@Test
	void pythonControlRevokeStopsAQueuedEtaJavaTask() throws Exception {
		ControlHarness harness = javaWorkerHarness().task("tasks.add", (context) -> 5);
		WorkerContainer worker = harness.start(1);
		// The revoke must arrive before the eta, after a Python process has started on
		// a machine that may be loaded: a countdown of a few seconds raced with that.
		AsyncResult result = harness.client.send("tasks.add", List.of(1, 1), Map.of(),
				SendOptions.defaults().countdown(Duration.ofSeconds(10)));
		await().atMost(ControlHarness.TIMEOUT).until(() -> worker.getState().getScheduled().size() == 1);
		// To the one node: the command returns on its reply instead of after the timeout.
		String output = celeryCli("control", "revoke", result.getId(), "-d", harness.nodeName);
		assertThat(output).contains("tasks " + result.getId() + " flagged as revoked");
		TaskMeta meta = await().atMost(PYTHON_TIMEOUT)
			.until(() -> harness.backend.get(result.getId()), TaskMeta::isReady);
		assertThat(meta.status()).isEqualTo(TaskState.REVOKED);
		assertThat(meta.exception().message()).isEqualTo("revoked");
	}

	@Test
	void pythonControlChangesRateAndTimeLimitsOfAJavaTask() throws Exception {
		ControlHarness harness = javaWorkerHarness().task("tasks.add", (context) -> 5);
		harness.start(1);
		String rate = celeryCli("control", "rate_limit", "tasks.add", "10/s", "-d", harness.nodeName);
		assertThat(rate).contains("->  " + harness.nodeName + ": OK").contains("new rate limit set successfully");
		assertThat(harness.registry.get("tasks.add").options().rateLimit().expression()).isEqualTo("10/s");
		String registered = celeryCli("inspect", "registered", "-d", harness.nodeName);
		assertThat(registered).contains("tasks.add [rate_limit=10/s]");
		String time = celeryCli("control", "time_limit", "tasks.add", "5", "10", "-d", harness.nodeName);
		assertThat(time).contains("->  " + harness.nodeName + ": OK").contains("time limits set successfully");
		assertThat(harness.registry.get("tasks.add").options().softTimeLimit()).isEqualTo(Duration.ofSeconds(5));
		assertThat(harness.registry.get("tasks.add").options().timeLimit()).isEqualTo(Duration.ofSeconds(10));
		String unknown = celeryCli("control", "rate_limit", "tasks.nope", "1/s", "-d", harness.nodeName);
		assertThat(unknown).contains(harness.nodeName + ": ERROR").contains("unknown task");
		assertThat(harness.client.send("tasks.add", 2, 3).get(ControlHarness.TIMEOUT)).isEqualTo(5);
	}

	@Test
	void pythonControlAddsAndCancelsAConsumerOfTheJavaWorker() throws Exception {
		ControlHarness harness = javaWorkerHarness().task("tasks.add", (context) -> 5);
		WorkerContainer worker = harness.start(1);
		String extra = "control-extra-" + UUID.randomUUID();
		String added = celeryCli("control", "add_consumer", extra, "-d", harness.nodeName);
		assertThat(added).contains("->  " + harness.nodeName + ": OK").contains("add consumer " + extra);
		assertThat(worker.getQueues()).contains(extra);
		AsyncResult onExtra = harness.client.send("tasks.add", List.of(1, 2), Map.of(),
				SendOptions.defaults().queue(extra));
		assertThat(onExtra.get(ControlHarness.TIMEOUT)).isEqualTo(5);
		String queues = celeryCli("inspect", "active_queues", "-d", harness.nodeName);
		assertThat(queues).contains("'name': '" + extra + "'");
		String cancelled = celeryCli("control", "cancel_consumer", extra, "-d", harness.nodeName);
		assertThat(cancelled).contains("->  " + harness.nodeName + ": OK")
			.contains("no longer consuming from " + extra);
		assertThat(worker.getQueues()).doesNotContain(extra).contains(harness.queue);
	}

	@Test
	void pythonControlShutdownStopsAJavaWorkerOnlyWhenRemoteShutdownIsOn() throws Exception {
		ControlHarness harness = javaWorkerHarness().task("tasks.add", (context) -> 5);
		WorkerContainer refusing = harness.start(1);
		String refused = celeryCli("control", "shutdown", "-d", harness.nodeName);
		assertThat(refused).contains(harness.nodeName + ": ERROR").contains("celery.worker.remote-shutdown");
		assertThat(refusing.isRunning()).isTrue();
		refusing.stop();
		WorkerContainer allowing = harness.start(harness.options(1), true);
		// Nobody replies: wait the short timeout only.
		String stopped = celeryCli(NO_REPLY_TIMEOUT, "control", "shutdown", "-d", harness.nodeName);
		// As for a Python worker: no reply, so the CLI reports that nobody replied.
		assertThat(stopped).contains("No nodes replied");
		await().atMost(ControlHarness.TIMEOUT).until(() -> !allowing.isRunning());
	}

	@Test
	void aJavaWorkerStartedLaterLearnsAPythonWorkersRevokedIdsByMingle() throws Exception {
		String node = "py-" + UUID.randomUUID() + "@interop";
		ControlHarness harness = javaWorkerHarness().task("tasks.add", (context) -> 5);
		startPythonWorker(node);
		CeleryControl control = new CeleryControl(harness.broker, Duration.ofSeconds(5));
		await().atMost(PYTHON_TIMEOUT).until(() -> !control.ping(List.of(node)).isEmpty());
		String revoked = UUID.randomUUID().toString();
		String output = celeryCli("control", "revoke", revoked, "-d", node);
		assertThat(output).contains("tasks " + revoked + " flagged as revoked");
		// Queued before any Java worker runs: only mingle can tell it about the revoke.
		harness.client.send("tasks.add", List.of(1, 1), Map.of(), SendOptions.defaults().taskId(revoked));

		WorkerContainer worker = harness.startWithMingle(harness.options(1));
		assertThat(worker.getRevoked().ids()).contains(revoked);
		TaskMeta meta = await().atMost(ControlHarness.TIMEOUT)
			.until(() -> harness.backend.get(revoked), TaskMeta::isReady);
		assertThat(meta.status()).isEqualTo(TaskState.REVOKED);
		assertThat(meta.exception().message()).isEqualTo("revoked");
		assertThat(worker.getState().getProcessed()).isZero();
	}

	@Test
	@SuppressWarnings("unchecked")
	void aPythonWorkerStartedLaterLearnsAJavaWorkersRevokedIdsByMingle() throws Exception {
		ControlHarness harness = javaWorkerHarness().task("tasks.add", (context) -> 5);
		WorkerContainer worker = harness.start(1);
		String revoked = UUID.randomUUID().toString();
		worker.revoke(List.of(revoked), false, 0);
		String node = "py-" + UUID.randomUUID() + "@interop";
		Process python = startPythonWorker(node, "--without-gossip");
		CeleryControl control = new CeleryControl(harness.broker, Duration.ofSeconds(5));
		await().atMost(PYTHON_TIMEOUT).until(() -> !control.ping(List.of(node)).isEmpty());
		assertThat(python.isAlive()).isTrue();
		Map<String, Object> revokedByPython = asMap(control.revoked());
		assertThat((List<Object>) revokedByPython.get(node)).contains(revoked);
	}

	private Process startPythonWorker(String node, String... mingle) throws IOException {
		List<String> command = new ArrayList<>(List.of(pythonCelery.python(), "-m", "celery", "-A", "pyapp", "worker",
				"-P", "solo", "-n", node, "-Q", "interop-" + UUID.randomUUID(), "-l", "INFO"));
		command.addAll((mingle.length > 0) ? List.of(mingle) : List.of("--without-mingle", "--without-gossip"));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.directory(Path.of("src", "test", "python").toFile());
		builder.environment().put("CELERY_BROKER_URL", this.brokerUrl);
		builder.environment().put("CELERY_RESULT_BACKEND", RedisTestServer.get().url(BACKEND_DB));
		Process worker = start(builder);
		readLines(worker, (line) -> {
		});
		return worker;
	}

	@Test
	void pythonEventReceiverCapturesTheJavaWorkersHeartbeatsAndTaskEvents() throws Exception {
		ControlHarness harness = javaWorkerHarness().task("tasks.add", (context) -> 5);
		harness.start(harness.options(1).withSendTaskEvents(true).withHeartbeatInterval(Duration.ofMillis(500)), false);
		Process receiver = start(List.of(pythonCelery.python(), "-c", """
				import json, sys
				from celery import Celery
				app = Celery(broker=sys.argv[1])
				def on_event(event):
				    print(json.dumps(event), flush=True)
				    if event['type'] == 'task-succeeded':
				        raise SystemExit(0)
				with app.connection() as connection:
				    receiver = app.events.Receiver(connection, handlers={'*': on_event})
				    receiver.capture(limit=200, timeout=20, wakeup=True)
				""", this.brokerUrl));
		Queue<Map<String, Object>> seen = new ConcurrentLinkedQueue<>();
		Thread reader = readLines(receiver, (line) -> {
			if (line.startsWith("{")) {
				seen.add(asMap(Json.read(line)));
			}
		});
		await().atMost(ControlHarness.TIMEOUT)
			.until(() -> seen.stream()
				.anyMatch((event) -> "worker-heartbeat".equals(event.get("type")) && event.containsKey("active")));
		AsyncResult result = harness.client.send("tasks.add", 2, 3);
		assertThat(receiver.waitFor(PYTHON_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("receiver ended").isTrue();
		reader.join(5000);
		Map<String, Object> heartbeat = seen.stream()
			.filter((event) -> "worker-heartbeat".equals(event.get("type")) && event.containsKey("active"))
			.findFirst()
			.orElseThrow();
		assertThat(heartbeat.get("hostname")).isEqualTo(harness.nodeName);
		assertThat(heartbeat).containsKeys("utcoffset", "pid", "clock", "freq", "processed", "loadavg", "sw_ident",
				"sw_ver", "sw_sys", "timestamp", "local_received");
		List<Object> types = seen.stream()
			.filter((event) -> result.getId().equals(event.get("uuid")))
			.map((event) -> (Object) event.get("type"))
			.toList();
		assertThat(types).containsExactly("task-received", "task-started", "task-succeeded");
		Map<String, Object> succeeded = seen.stream()
			.filter((event) -> "task-succeeded".equals(event.get("type")))
			.findFirst()
			.orElseThrow();
		assertThat(succeeded.get("result")).isEqualTo("5");
	}

	@Test
	void javaControlAndEventReceiverSeeAPythonWorker() throws Exception {
		String node = "py-" + UUID.randomUUID() + "@interop";
		Queue<Event> events = new ConcurrentLinkedQueue<>();
		javaWorkerHarness();
		try (EventReceiver receiver = EventReceiver.start(Fanout.of(this.harness.broker), events::add)) {
			ProcessBuilder builder = new ProcessBuilder(pythonCelery.python(), "-m", "celery", "-A", "pyapp", "worker",
					"-P", "solo", "-n", node, "-Q", "interop-" + UUID.randomUUID(), "--without-mingle",
					"--without-gossip", "-l", "INFO");
			builder.directory(Path.of("src", "test", "python").toFile());
			builder.environment().put("CELERY_BROKER_URL", this.brokerUrl);
			builder.environment().put("CELERY_RESULT_BACKEND", RedisTestServer.get().url(BACKEND_DB));
			Process worker = start(builder);
			readLines(worker, (line) -> {
			});
			await().atMost(PYTHON_TIMEOUT)
				.until(() -> events.stream()
					.anyMatch((event) -> node.equals(event.hostname()) && event.type().startsWith("worker-")));
			await().atMost(PYTHON_TIMEOUT)
				.until(() -> events.stream()
					.anyMatch((event) -> node.equals(event.hostname()) && event.type().equals("worker-heartbeat")));
			CeleryControl control = new CeleryControl(this.harness.broker, Duration.ofSeconds(5));
			assertThat(control.ping(List.of(node))).isEqualTo(Map.of(node, Map.of("ok", "pong")));
			Map<String, Object> stats = asMap(control.stats().get(node));
			assertThat(stats).containsKeys("total", "pool", "broker");
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(@Nullable Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	/**
	 * Run the {@code celery} command line. Commands name their destination node, so they
	 * return as soon as it replied: the timeout only matters when it is late.
	 */
	private String celeryCli(String... arguments) throws Exception {
		return celeryCli(REPLY_TIMEOUT, arguments);
	}

	private String celeryCli(Duration replyTimeout, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(pythonCelery.python(), "-m", "celery", "-b", this.brokerUrl));
		command.addAll(List.of(arguments));
		command.addAll(List.of("--timeout", String.valueOf(replyTimeout.toSeconds())));
		Process process = start(new ProcessBuilder(command).redirectErrorStream(true));
		StringBuilder output = new StringBuilder();
		Thread reader = readLines(process, (line) -> output.append(line).append('\n'));
		assertThat(process.waitFor(PYTHON_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("celery %s ended", command)
			.isTrue();
		reader.join(5000);
		return output.toString();
	}

	private String python(String script, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(pythonCelery.python(), "-c", script));
		command.addAll(List.of(arguments));
		Process process = start(command);
		StringBuilder output = new StringBuilder();
		Thread reader = readLines(process, (line) -> output.append(line).append('\n'));
		assertThat(process.waitFor(PYTHON_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("python ended").isTrue();
		reader.join(5000);
		assertThat(process.exitValue()).as("python exit status; output:\n%s", output).isZero();
		return output.toString();
	}

	private Process start(List<String> command) throws IOException {
		return start(new ProcessBuilder(command).redirectErrorStream(true));
	}

	private Process start(ProcessBuilder builder) throws IOException {
		Process process = builder.redirectErrorStream(true).start();
		this.processes.add(process);
		return process;
	}

	private static Thread readLines(Process process, java.util.function.Consumer<String> consumer) {
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					consumer.accept(line);
				}
			}
			catch (IOException ex) {
				// The process was killed.
			}
		}, "python-output");
		reader.setDaemon(true);
		reader.start();
		return reader;
	}

}
