package io.celery4j.sample.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.sample.SampleApplication;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.PythonWorker;
import io.celery4j.testsupport.RedisTestServer;
import io.celery4j.worker.TaskRequest;
import io.celery4j.worker.WorkerObserver;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Canvases built by a real Python Celery client
 * ({@code celery-core/src/test/python/canvas_client.py}) run on the sample app's Java
 * worker, some partly on a real Python worker: chains, link and link_error, chords (one
 * failing, one with 1,000 members, one whose header runs on both workers). Python reads
 * every result; the Java worker counts how often each task ran, so a chord body sent
 * twice is caught.
 */
class CanvasInteropTests {

	private static final Duration RESULTS_TIMEOUT = Duration.ofSeconds(90);

	private static final int BROKER_DB = 10;

	private static final int BACKEND_DB = 3;

	private static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private static @Nullable ConfigurableApplicationContext application;

	private static @Nullable PythonWorker pythonWorker;

	private static @Nullable JsonNode report;

	@BeforeAll
	static void runPythonCanvasesOnJavaWorker() {
		if (!PythonCelery.isAvailable()) {
			// Each test then skips (or fails) with the reason in @BeforeEach.
			return;
		}
		PythonCelery python = PythonCelery.require();
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String queue = "interop-canvas-java-" + suffix;
		String pyqueue = "interop-canvas-py-" + suffix;
		RedisTestServer redis = RedisTestServer.get();
		WorkerObserver counter = new WorkerObserver() {

			@Override
			public void onSucceeded(TaskRequest request, @Nullable Object result, Duration runtime) {
				runs.computeIfAbsent(request.getId(), (id) -> new AtomicInteger()).incrementAndGet();
			}

		};
		application = new SpringApplicationBuilder(SampleApplication.class)
			.initializers((ConfigurableApplicationContext context) -> context.getBeanFactory()
				.registerSingleton("canvasRunCounter", counter))
			.run("--server.port=0", "--celery.broker-url=" + redis.url(BROKER_DB),
					"--celery.result-backend=" + redis.url(BACKEND_DB), "--celery.worker.queues=" + queue,
					"--celery.worker.name=java-" + queue + "@localhost", "--sample.tick-queue=" + queue);
		Map<String, String> environment = Map.of("CELERY_BROKER_URL", redis.url(BROKER_DB), "CELERY_RESULT_BACKEND",
				redis.url(BACKEND_DB), "CELERY_QUEUE", pyqueue);
		pythonWorker = PythonWorker.start(python, environment, pyqueue, "py-canvas-" + suffix + "@localhost");
		List<String> arguments = List.of("--broker", redis.url(BROKER_DB), "--backend", redis.url(BACKEND_DB),
				"--queue", queue, "--pyqueue", pyqueue, "--timeout", String.valueOf(RESULTS_TIMEOUT.toSeconds()));
		PythonCelery.Result result = python.run(PythonScripts.read("canvas_client.py"), arguments, null,
				RESULTS_TIMEOUT.multipliedBy(3), PythonScripts.directory());
		result.successfulOutput();
		List<String> lines = result.lines();
		assertThat(lines).as("output of canvas_client.py").isNotEmpty();
		report = JsonMapper.shared().readTree(lines.get(lines.size() - 1));
	}

	@BeforeEach
	void requirePythonCelery() {
		PythonCelery.require();
	}

	@AfterAll
	static void stopWorkers() {
		try {
			if (pythonWorker != null) {
				pythonWorker.close();
			}
		}
		finally {
			if (application != null) {
				application.close();
			}
		}
	}

	@Test
	void pythonBuiltChainRunsOnTheJavaWorkerWithResultsLinkedByParent() {
		JsonNode chain = caseReport("chain");
		assertThat(chain.get("result").asInt()).isEqualTo(30);
		assertThat(chain.get("parents").get(0).asInt()).isEqualTo(20);
		assertThat(chain.get("parents").get(1).asInt()).isEqualTo(5);
		assertThat(chain.get("first_children").get(0).asString()).isEqualTo(chain.get("middle_id").asString());
		assertThat(chain.get("middle_parent_id").asString()).isEqualTo(chain.get("first_id").asString());
		assertThat(chain.get("last_parent_id").asString()).isEqualTo(chain.get("middle_id").asString());
	}

	@Test
	void chainGoesFromTheJavaWorkerToThePythonWorkerAndBack() {
		assertThat(caseReport("cross_chain").get("result").asInt()).isEqualTo((1 + 2 + 10) * 3);
	}

	@Test
	void linkedCallbackGetsTheResultAndIsAChildOfItsParent() {
		JsonNode link = caseReport("link");
		assertThat(link.get("parent").asInt()).isEqualTo(5);
		assertThat(link.get("callback").asInt()).isEqualTo(15);
		assertThat(link.get("callback_parent_id").asString()).isEqualTo(link.get("parent_id").asString());
		assertThat(link.get("parent_children").get(0).asString()).isEqualTo(link.get("callback_id").asString());
	}

	@Test
	void errbacksGetTheFailedTaskIdUnlessImmutable() {
		JsonNode linkError = caseReport("link_error");
		assertThat(linkError.get("state").asString()).isEqualTo("FAILURE");
		assertThat(linkError.get("mutable").asString()).isEqualTo(linkError.get("failed_id").asString());
		assertThat(linkError.get("immutable").asString()).isEqualTo("failed");
		assertThat(linkError.get("errback_parent_id").asString()).isEqualTo(linkError.get("failed_id").asString());
	}

	@Test
	void pythonBuiltChordRunsItsBodyOnceOnTheJavaWorker() {
		JsonNode chord = caseReport("chord");
		assertThat(chord.get("result").asInt()).isEqualTo(6);
		assertThat(ranOnce(chord.get("body_id").asString())).isEqualTo(1);
	}

	@Test
	void chordWithAFailingMemberFailsWithCelerysChordErrorInPython() {
		JsonNode chordError = caseReport("chord_error");
		String failedId = chordError.get("failed_member_id").asString();
		JsonNode body = chordError.get("body");
		assertThat(body.path("exc_type").asString()).as("body result %s", body).isEqualTo("ChordError");
		assertThat(body.get("exc_module").asString()).isEqualTo("celery.exceptions");
		assertThat(body.get("exc_message").asString())
			.isEqualTo("Dependency " + failedId + " raised ValueError('bad member')");
		assertThat(runsOf(chordError.get("body_id").asString())).isZero();
	}

	@Test
	void chordResultInPythonRaisesTheFailedMembersErrorAsWithAPythonWorker() {
		JsonNode chord = caseReport("chord_error").get("chord");
		assertThat(chord.path("exc_type").asString()).as("chord result %s", chord).isEqualTo("ValueError");
		assertThat(chord.get("exc_message").asString()).isEqualTo("bad member");
	}

	@Test
	void chordWithHeaderOnJavaAndPythonWorkersRunsItsBodyOnce() {
		JsonNode chord = caseReport("chord_mixed");
		int expected = 0;
		for (int i = 0; i < 20; i++) {
			expected += 2 * i;
		}
		assertThat(chord.get("result").asInt()).isEqualTo(expected);
		assertThat(ranOnce(chord.get("body_id").asString())).isEqualTo(1);
	}

	@Test
	void thousandMemberChordGivesItsBodyTheResultsInOrder() {
		JsonNode chord = caseReport("chord_large");
		assertThat(chord.get("size").asInt()).isEqualTo(1000);
		assertThat(chord.get("in_order").asBoolean()).as("results in order, starting %s", chord.get("first")).isTrue();
		assertThat(ranOnce(chord.get("body_id").asString())).isEqualTo(1);
	}

	/**
	 * Return how often the Java worker ran a task, once it ran at least once: the worker
	 * counts right after storing the result Python waited for.
	 */
	private static int ranOnce(String taskId) {
		await().atMost(Duration.ofSeconds(30)).until(() -> runsOf(taskId) > 0);
		return runsOf(taskId);
	}

	private static int runsOf(String taskId) {
		AtomicInteger count = runs.get(taskId);
		return (count != null) ? count.get() : 0;
	}

	private static JsonNode caseReport(String name) {
		assertThat(report).as("report of canvas_client.py read in @BeforeAll").isNotNull();
		JsonNode item = report.get("cases").get(name);
		assertThat(item).as("case %s in the report", name).isNotNull();
		assertThat(item.has("error")).as("case %s raised in Python: %s", name, item.path("error")).isFalse();
		return item;
	}

}
