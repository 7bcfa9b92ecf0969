package io.celery4j.sample.interop;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celery4j.backend.ResultBackends;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.Brokers;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskFailedException;
import io.celery4j.client.TaskRevokedException;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.PythonWorker;
import io.celery4j.testsupport.RedisTestServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java client sends with countdown, eta and expires to a real Python Celery worker
 * ({@code py.*} tasks in {@code celery-core/src/test/python/pyapp.py}), which honours
 * them, and watches a Python task retry: RETRY under the same id, then SUCCESS. One
 * Python worker serves the whole class; the time limit tests share a second one on
 * Celery's prefork pool, the only pool that enforces time limits.
 */
class JavaClientTaskOptionsPythonWorkerInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Duration DELAY = Duration.ofSeconds(2);

	private static final int BROKER_DB = 8;

	private static final int BACKEND_DB = 9;

	private static @Nullable PythonWorker worker;

	private static @Nullable CeleryClient client;

	private static @Nullable PythonWorker preforkWorker;

	private static @Nullable String preforkQueue;

	@BeforeAll
	static void startPythonWorker() {
		if (!PythonCelery.isAvailable()) {
			// Each test then skips (or fails) with the reason in @BeforeEach.
			return;
		}
		PythonCelery python = PythonCelery.require();
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String queue = "interop-py-options-" + suffix;
		RedisTestServer redis = RedisTestServer.get();
		Map<String, String> environment = Map.of("CELERY_BROKER_URL", redis.url(BROKER_DB), "CELERY_RESULT_BACKEND",
				redis.url(BACKEND_DB), "CELERY_QUEUE", queue);
		worker = PythonWorker.start(python, environment, queue, "py-options-" + suffix + "@localhost");
		client = new CeleryClient(Brokers.create(redis.url(BROKER_DB)),
				ResultBackends.create(redis.url(BACKEND_DB), Duration.ofHours(1)),
				new TaskRouter(Map.of(), new TaskRegistry(), queue), ZoneOffset.UTC);
	}

	@BeforeEach
	void requirePythonCelery() {
		PythonCelery.require();
	}

	@AfterAll
	static void stopPythonWorker() {
		try {
			if (client != null) {
				client.getBackend().close();
				client.getBroker().close();
			}
		}
		finally {
			if (worker != null) {
				worker.close();
			}
			if (preforkWorker != null) {
				preforkWorker.close();
			}
		}
	}

	@Test
	void pythonWorkerRunsACountdownTaskNoEarlierThanTheDelay() {
		long start = System.nanoTime();
		AsyncResult result = client().send("py.add", List.of(2, 3), Map.of(), SendOptions.defaults().countdown(DELAY));
		assertThat(result.get(TIMEOUT, Long.class)).isEqualTo(5L);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DELAY);
	}

	@Test
	void pythonWorkerReadsTheEtaAndRunsNoEarlier() {
		Instant eta = Instant.now().plus(DELAY).truncatedTo(ChronoUnit.MILLIS);
		AsyncResult result = client().send("py.request_times", List.of(), Map.of(), SendOptions.defaults().eta(eta));
		Map<?, ?> seen = result.get(TIMEOUT, Map.class);
		assertThat(CeleryDates.parse((String) seen.get("eta"), ZoneOffset.UTC)).isEqualTo(eta);
		assertThat(Instant.now()).isAfterOrEqualTo(eta);
	}

	@Test
	void pythonWorkerReadsTheExpiryOfATaskThatHasNotExpired() {
		Instant expires = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
		AsyncResult result = client().send("py.request_times", List.of(), Map.of(),
				SendOptions.defaults().expires(expires));
		Map<?, ?> seen = result.get(TIMEOUT, Map.class);
		assertThat(CeleryDates.parse((String) seen.get("expires"), ZoneOffset.UTC)).isEqualTo(expires);
	}

	@Test
	void pythonWorkerRevokesAnExpiredTaskAndJavaReadsRevoked() {
		AsyncResult result = client().send("py.add", List.of(1, 1), Map.of(),
				SendOptions.defaults().expires(Instant.now().minusSeconds(30)));
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.withMessageContaining("expired");
		assertThat(result.state()).isEqualTo(TaskState.REVOKED);
	}

	@Test
	void javaClientSeesAPythonTaskRetryThenSucceed() {
		AsyncResult result = client().send("py.retry_until", 3);
		List<String> states = new CopyOnWriteArrayList<>();
		await("py.retry_until(3) to succeed").atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
			// One read per poll: the state recorded is the one that ends the wait.
			TaskMeta meta = result.info();
			if (states.isEmpty() || !states.get(states.size() - 1).equals(meta.status())) {
				states.add(meta.status());
			}
			return meta.isReady();
		});
		assertThat(states).as("states the Java client saw").contains(TaskState.RETRY).endsWith(TaskState.SUCCESS);
		assertThat(result.get(TIMEOUT, Integer.class)).isEqualTo(3);
	}

	@Test
	void pythonWorkerEndsATaskPastTheHardTimeLimitSentByJava() {
		AsyncResult result = client().send("py.sleep", List.of(30), Map.of(),
				SendOptions.defaults().queue(preforkQueue()).timeLimit(Duration.ofSeconds(1)));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("TimeLimitExceeded");
			// Celery 5.2 stores billiard's class, which celery.exceptions re-exports.
			assertThat(ex.getException().module()).isEqualTo("billiard.exceptions");
			// The limit Python read from the timelimit header, in seconds.
			assertThat(ex.getException().arguments()).singleElement()
				.satisfies((seconds) -> assertThat(((Number) seconds).doubleValue()).isEqualTo(1.0));
		});
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void pythonWorkerRaisesSoftTimeLimitExceededPastTheSoftTimeLimitSentByJava() {
		AsyncResult result = client().send("py.sleep", List.of(30), Map.of(),
				SendOptions.defaults().queue(preforkQueue()).softTimeLimit(Duration.ofSeconds(1)));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
			assertThat(ex.getException().module()).isEqualTo("billiard.exceptions");
		});
	}

	@Test
	void pythonWorkerRunsATaskWithinTheTimeLimitsSentByJava() {
		AsyncResult result = client().send("py.sleep", List.of(0), Map.of(),
				SendOptions.defaults()
					.queue(preforkQueue())
					.timeLimit(Duration.ofSeconds(30))
					.softTimeLimit(Duration.ofSeconds(20)));
		assertThat(result.get(TIMEOUT, Integer.class)).isZero();
	}

	/**
	 * Start the prefork worker on first use: only the time limit tests need it.
	 */
	private static synchronized String preforkQueue() {
		if (preforkWorker == null) {
			String suffix = UUID.randomUUID().toString().substring(0, 8);
			String queue = "interop-py-limits-" + suffix;
			RedisTestServer redis = RedisTestServer.get();
			Map<String, String> environment = Map.of("CELERY_BROKER_URL", redis.url(BROKER_DB), "CELERY_RESULT_BACKEND",
					redis.url(BACKEND_DB), "CELERY_QUEUE", queue);
			preforkWorker = PythonWorker.start(PythonCelery.require(), environment, queue,
					"py-limits-" + suffix + "@localhost", "-P", "prefork", "-c", "2", "--without-heartbeat");
			preforkQueue = queue;
		}
		assertThat(preforkQueue).isNotNull();
		return preforkQueue;
	}

	private static CeleryClient client() {
		assertThat(client).as("client started in @BeforeAll").isNotNull();
		return client;
	}

}
