package io.celery4j.sample.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.celery4j.protocol.Json;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskRegistry;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.RedisTestServer;
import io.celery4j.worker.WorkerContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /actuator/celery/rate-limit} of the sample on Redis changes the rate limit
 * of its own worker and is broadcast as Celery's {@code rate_limit} to a real Python
 * worker on the same broker, whose reply is in the answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActuatorRateLimitInteropTests {

	private static final int DB = 15;

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

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("celery.broker-url", () -> RedisTestServer.get().url(DB));
		registry.add("celery.result-backend", () -> RedisTestServer.get().url(DB));
		registry.add("celery.worker.name", () -> JAVA_NODE);
		registry.add("celery.worker.queues", () -> "ratelimit-java-" + SUFFIX);
		registry.add("celery.beat.enabled", () -> "false");
	}

	@BeforeAll
	static void startPythonWorker() {
		if (!PythonCelery.isAvailable()) {
			return;
		}
		String queue = "ratelimit-py-" + SUFFIX;
		RedisTestServer redis = RedisTestServer.get();
		python = PythonWorker.start(PythonCelery.require(), Map.of("CELERY_BROKER_URL", redis.url(DB),
				"CELERY_RESULT_BACKEND", redis.url(DB), "CELERY_QUEUE", queue), queue, PYTHON_NODE);
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

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
