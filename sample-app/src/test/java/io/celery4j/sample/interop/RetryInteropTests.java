package io.celery4j.sample.interop;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.celery4j.sample.SampleApplication;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.RedisTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Python Celery client ({@code celery-core/src/test/python/retry_client.py}) calls
 * {@code tasks.retry_until(3)} on the sample app's Java worker and watches the task's
 * state: it sees RETRY under the same id, then SUCCESS 3.
 */
class RetryInteropTests {

	private static final Duration RESULTS_TIMEOUT = Duration.ofSeconds(20);

	private static final int BROKER_DB = 4;

	private static final int BACKEND_DB = 5;

	@Test
	void pythonClientSeesRetryStatesThenTheResultOfRetryUntil() {
		PythonCelery python = PythonCelery.require();
		String queue = "interop-retry-" + UUID.randomUUID().toString().substring(0, 8);
		RedisTestServer redis = RedisTestServer.get();
		try (ConfigurableApplicationContext application = new SpringApplicationBuilder(SampleApplication.class).run(
				"--server.port=0", "--celery.broker-url=" + redis.url(BROKER_DB),
				"--celery.result-backend=" + redis.url(BACKEND_DB), "--celery.worker.queues=" + queue,
				"--celery.worker.name=java-" + queue + "@localhost", "--sample.tick-queue=" + queue)) {
			List<String> arguments = List.of("--broker", redis.url(BROKER_DB), "--backend", redis.url(BACKEND_DB),
					"--queue", queue, "--n", "3", "--timeout", String.valueOf(RESULTS_TIMEOUT.toSeconds()));
			PythonCelery.Result result = python.run(PythonScripts.read("retry_client.py"), arguments, null,
					RESULTS_TIMEOUT.plusSeconds(30), PythonScripts.directory());
			result.successfulOutput();
			List<String> lines = result.lines();
			JsonNode report = JsonMapper.shared().readTree(lines.get(lines.size() - 1));
			assertThat(report.get("result").asInt()).as("result of tasks.retry_until(3)").isEqualTo(3);
			List<String> states = report.get("states").valueStream().map(JsonNode::asString).toList();
			assertThat(states).as("states the Python client saw").contains("RETRY").endsWith("SUCCESS");
			assertThat(states).doesNotContain("FAILURE");
		}
	}

}
