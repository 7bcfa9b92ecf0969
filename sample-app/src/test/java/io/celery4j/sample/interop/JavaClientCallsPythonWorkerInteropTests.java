package io.celery4j.sample.interop;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Brokers;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskFailedException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Java client calls tasks that only a real Python Celery worker has ({@code py.*} in
 * {@code celery-core/src/test/python/pyapp.py}) and reads their results and failures.
 */
class JavaClientCallsPythonWorkerInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final int BROKER_DB = 8;

	private static final int BACKEND_DB = 9;

	private static @Nullable PythonWorker worker;

	private static @Nullable CeleryClient client;

	@BeforeAll
	static void startPythonWorker() {
		if (!PythonCelery.isAvailable()) {
			// Each test then skips (or fails) with the reason in @BeforeEach, where the
			// report shows it: a class-level skip shows as "Tests run: 0".
			return;
		}
		PythonCelery python = PythonCelery.require();
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String queue = "interop-py-" + suffix;
		RedisTestServer redis = RedisTestServer.get();
		Map<String, String> environment = Map.of("CELERY_BROKER_URL", redis.url(BROKER_DB), "CELERY_RESULT_BACKEND",
				redis.url(BACKEND_DB), "CELERY_QUEUE", queue);
		worker = PythonWorker.start(python, environment, queue, "py-interop-" + suffix + "@localhost");
		client = new CeleryClient(Brokers.create(redis.url(BROKER_DB)),
				ResultBackends.create(redis.url(BACKEND_DB), Duration.ofHours(1)),
				new TaskRouter(Map.of(), new TaskRegistry(), queue), java.time.ZoneOffset.UTC);
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
		}
	}

	@Test
	void pythonTaskAddsPositionalArguments() {
		assertThat(client().send("py.add", 2, 3).get(TIMEOUT, Long.class)).isEqualTo(5L);
	}

	@Test
	void pythonTaskReceivesKeywordArguments() {
		AsyncResult result = client().send("py.add", List.of(), Map.of("x", 20, "y", 22), SendOptions.defaults());
		assertThat(result.get(TIMEOUT, Long.class)).isEqualTo(42L);
	}

	@Test
	void pythonTaskAddsLargeIntegersExactly() {
		long big = 1L << 53;
		assertThat(client().send("py.add", big, -1L).get(TIMEOUT, Long.class)).isEqualTo(big - 1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("echoValues")
	void pythonTaskEchoesJsonValuesUnchanged(String description, @Nullable Object value) {
		AsyncResult result = client().send("py.echo", Arrays.asList(value), Map.of(), SendOptions.defaults());
		assertThat(result.get(TIMEOUT)).as(description).isEqualTo(value);
		assertThat(result.successful()).isTrue();
	}

	static Stream<Arguments> echoValues() {
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("list", Arrays.asList(1, 2.5, null, true, "x", List.of(), Map.of()));
		nested.put("object", Map.of("a", Map.of("b", List.of(1, List.of(2, List.of(3))))));
		nested.put("\u00e9", "\u00fc");
		return Stream.of(Arguments.of("null", null), Arguments.of("true", true), Arguments.of("false", false),
				Arguments.of("2^53", 1L << 53), Arguments.of("-2^53", -(1L << 53)), Arguments.of("float", 0.1),
				Arguments.of("float without fraction", 1.0), Arguments.of("non-ASCII text", "caf\u00e9 \u65e5\u672c"),
				Arguments.of("astral text", "smile \uD83D\uDE00"), Arguments.of("nested lists and objects", nested));
	}

	@Test
	void pythonValueErrorArrivesAsTaskFailedExceptionWithTypeAndMessage() {
		AsyncResult result = client().send("py.fail", "boom: caf\u00e9");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getTaskId()).isEqualTo(result.getId());
			assertThat(ex.getExceptionType()).isEqualTo("ValueError");
			assertThat(ex.getExceptionMessage()).isEqualTo("boom: caf\u00e9");
			assertThat(ex.getException().module()).isEqualTo("builtins");
			assertThat(ex.getRemoteTraceback()).contains("raise ValueError(message)")
				.contains("ValueError: boom: caf\u00e9");
		});
		assertThat(result.failed()).isTrue();
	}

	@Test
	void unknownTaskFailsAsNotRegisteredFromThePythonWorker() {
		AsyncResult result = client().send("py.nope", 1);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("NotRegistered");
			assertThat(ex.getExceptionMessage()).contains("py.nope");
		});
	}

	private static CeleryClient client() {
		assertThat(client).as("client started in @BeforeAll").isNotNull();
		return client;
	}

}
