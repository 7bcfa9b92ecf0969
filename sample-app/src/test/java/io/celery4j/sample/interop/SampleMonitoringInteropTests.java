package io.celery4j.sample.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.broker.Broker;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.control.CeleryControl;
import io.celery4j.protocol.Json;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskRegistry;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.PythonWorker;
import io.celery4j.testsupport.RedisTestServer;
import io.celery4j.worker.WorkerContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample on Redis beside a real Python worker (with task events on):
 * {@code POST /actuator/celery/rate-limit} changes the rate limit of the sample's own
 * worker and is broadcast as Celery's {@code rate_limit} to the Python worker, whose
 * reply is in the answer; {@code /api/task/info} and {@code /api/tasks} show the tasks of
 * both workers from their events.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Closed after the class, while Redis still runs: at JVM exit its worker and event
// receiver would wait for a Redis that the test server's hook has already stopped.
@DirtiesContext
class SampleMonitoringInteropTests {

	private static final int DB = 15;

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);

	private static final String JAVA_NODE = "java-ratelimit-" + SUFFIX + "@localhost";

	private static final String PYTHON_NODE = "py-ratelimit-" + SUFFIX + "@localhost";

	private static @Nullable PythonWorker python;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private WorkerContainer worker;

	@Autowired
	private TaskRegistry tasks;

	@Autowired
	private CeleryClient client;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("celery.broker-url", () -> RedisTestServer.get().url(DB));
		registry.add("celery.result-backend", () -> RedisTestServer.get().url(DB));
		registry.add("celery.worker.name", () -> JAVA_NODE);
		registry.add("celery.worker.queues", () -> "ratelimit-java-" + SUFFIX);
		registry.add("celery.task.default-queue", () -> "ratelimit-java-" + SUFFIX);
		registry.add("celery.beat.enabled", () -> "false");
		registry.add("celery.worker.send-task-events", () -> "true");
	}

	/**
	 * Start the Python worker with heartbeats: it sends its buffered task events on the
	 * next turn of its event loop, which without heartbeat timers may not come until the
	 * next broker message.
	 */
	@BeforeAll
	static void startPythonWorker() {
		if (!PythonCelery.isAvailable()) {
			return;
		}
		String queue = "ratelimit-py-" + SUFFIX;
		RedisTestServer redis = RedisTestServer.get();
		python = PythonWorker.start(
				PythonCelery.require(), Map.of("CELERY_BROKER_URL", redis.url(DB), "CELERY_RESULT_BACKEND",
						redis.url(DB), "CELERY_QUEUE", queue, "CELERY_SEND_TASK_EVENTS", "1"),
				queue, PYTHON_NODE, new String[0]);
	}

	@AfterAll
	static void stopPythonWorker() {
		if (python != null) {
			python.close();
		}
	}

	@BeforeEach
	void requirePythonCelery() {
		PythonCelery.require();
	}

	@Test
	@SuppressWarnings("unchecked")
	void rateLimitChangesTheLocalWorkerAndReachesThePythonWorker() throws Exception {
		HttpResponse<String> response = post("/actuator/celery/rate-limit",
				"{\"task\": \"tasks.add\", \"rateLimit\": \"10/m\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Map<String, Object> reply = (Map<String, Object>) Json.read(response.body());
		assertThat(reply).containsEntry("ok", true);
		Map<String, Object> workers = (Map<String, Object>) reply.get("workers");
		assertThat(workers).containsEntry(JAVA_NODE, Map.of("ok", "new rate limit set successfully"))
			// The Python worker answered Celery's rate_limit: it has no tasks.add.
			.containsEntry(PYTHON_NODE, Map.of("error", "unknown task"));
		RateLimit limit = this.tasks.find("tasks.add").options().rateLimit();
		assertThat(limit).isNotNull();
		assertThat(limit.expression()).isEqualTo("10/m");
		assertThat(this.worker.isRunning()).isTrue();

		HttpResponse<String> python = post("/actuator/celery/rate-limit",
				"{\"task\": \"py.add\", \"rateLimit\": \"5/s\"}");
		assertThat(python.statusCode()).as(python.body()).isEqualTo(200);
		Map<String, Object> pythonWorkers = (Map<String, Object>) ((Map<String, Object>) Json.read(python.body()))
			.get("workers");
		assertThat(pythonWorkers).containsEntry(PYTHON_NODE, Map.of("ok", "new rate limit set successfully"))
			.containsEntry(JAVA_NODE, Map.of("error", "unknown task"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void rateLimitAnswers400NamingAMalformedRate() throws Exception {
		HttpResponse<String> response = post("/actuator/celery/rate-limit",
				"{\"task\": \"tasks.add\", \"rateLimit\": \"ten per second\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat((String) ((Map<String, Object>) Json.read(response.body())).get("message")).contains("tasks.add")
			.contains("'ten per second' is not a rate limit");
	}

	@Test
	@SuppressWarnings("unchecked")
	void taskInfoAndTaskListShowTasksOfTheJavaAndThePythonWorker() throws Exception {
		AsyncResult java = this.client.send("tasks.add", 2, 3);
		AsyncResult py = this.client.send("py.add", List.of(20, 22), Map.of(),
				SendOptions.defaults().queue("ratelimit-py-" + SUFFIX));
		assertThat(java.get(TIMEOUT)).isEqualTo(5);
		assertThat(py.get(TIMEOUT)).isEqualTo(42);
		Map<String, Object> javaInfo = await().atMost(TIMEOUT)
			.until(() -> info(java.getId()), (info) -> "SUCCESS".equals(info.get("state")));
		assertThat(javaInfo).containsEntry("uuid", java.getId())
			.containsEntry("name", "tasks.add")
			.containsEntry("worker", JAVA_NODE)
			.containsEntry("result", "5")
			.containsEntry("args", "(2, 3)");
		Map<String, Object> pyInfo = await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
			Map<String, Object> info = info(py.getId());
			if (!"SUCCESS".equals(info.get("state"))) {
				// Celery buffers task events and sends them on a later turn of its event
				// loop; a message for the worker is such a turn (seen once:
				// task-succeeded
				// held back for 20 s).
				this.client.send("py.add", List.of(0, 0), Map.of(),
						SendOptions.defaults().queue("ratelimit-py-" + SUFFIX).ignoreResult(true));
			}
			return info;
		}, (info) -> "SUCCESS".equals(info.get("state")));
		assertThat(pyInfo).containsEntry("name", "py.add")
			.containsEntry("worker", PYTHON_NODE)
			.containsEntry("result", "42");
		Map<String, Object> pythonTasks = (Map<String, Object>) Json
			.read(get("/api/tasks?workername=" + PYTHON_NODE + "&state=SUCCESS").body());
		assertThat(pythonTasks).containsKey(py.getId()).doesNotContainKey(java.getId());
		Map<String, Object> first = (Map<String, Object>) Json.read(get("/api/tasks?sort_by=name&limit=1").body());
		assertThat(first.values()).singleElement()
			.satisfies((task) -> assertThat(((Map<String, Object>) task).get("name")).isEqualTo("py.add"));
		HttpResponse<String> unknown = get("/api/task/info/never-seen");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("Unknown task 'never-seen'");
	}

	/**
	 * Remote control that waits longer for replies than Celery's default second: the
	 * rate-limit broadcast collects what arrives within that time, and the Python
	 * worker's reply can take longer on a loaded machine.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class PatientRemoteControl {

		@Bean
		CeleryControl patientCeleryControl(Broker broker) {
			return new CeleryControl(broker, Duration.ofSeconds(5));
		}

	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> info(String taskId) throws Exception {
		HttpResponse<String> response = get("/api/task/info/" + taskId);
		return (response.statusCode() == 200) ? (Map<String, Object>) Json.read(response.body()) : Map.of();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
