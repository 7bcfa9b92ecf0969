package io.celery4j.sample.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import io.celery4j.sample.SampleApplication;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.RedisTestServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Python Celery client ({@code celery-core/src/test/python/contract_client.py})
 * sends every task of the sample app contract by name to the running sample app and
 * reports what {@code AsyncResult.get()} gave it; each reported case becomes one test
 * here, so a wrong result names the case, its arguments and both values.
 */
class PythonClientCallsJavaTasksInteropTests {

	private static final Duration RESULTS_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration SCRIPT_TIMEOUT = RESULTS_TIMEOUT.plusSeconds(30);

	private static final int BROKER_DB = 6;

	private static final int BACKEND_DB = 7;

	/** The contract's tasks a Python client can call with arguments and check. */
	private static final Set<String> CONTRACT_TASKS = Set.of("tasks.add", "tasks.mul", "tasks.xsum", "tasks.echo",
			"tasks.greet", "tasks.fail", "tasks.sleep");

	private static @Nullable ConfigurableApplicationContext application;

	private static @Nullable JsonNode report;

	@BeforeAll
	static void runPythonClientAgainstSampleApp() {
		if (!PythonCelery.isAvailable()) {
			// Each test then skips (or fails) with the reason in @BeforeEach, where the
			// report shows it: a class-level skip shows as "Tests run: 0".
			return;
		}
		PythonCelery python = PythonCelery.require();
		String queue = "interop-java-" + UUID.randomUUID().toString().substring(0, 8);
		RedisTestServer redis = RedisTestServer.get();
		application = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--celery.broker-url=" + redis.url(BROKER_DB), "--celery.result-backend=" + redis.url(BACKEND_DB),
				"--celery.worker.queues=" + queue, "--celery.worker.name=java-" + queue + "@localhost",
				"--sample.tick-queue=" + queue);
		List<String> arguments = List.of("--broker", redis.url(BROKER_DB), "--backend", redis.url(BACKEND_DB),
				"--queue", queue, "--timeout", String.valueOf(RESULTS_TIMEOUT.toSeconds()));
		PythonCelery.Result result = python.run(PythonScripts.read("contract_client.py"), arguments, null,
				SCRIPT_TIMEOUT, PythonScripts.directory());
		result.successfulOutput();
		List<String> lines = result.lines();
		assertThat(lines).as("output of contract_client.py").isNotEmpty();
		report = JsonMapper.shared().readTree(lines.get(lines.size() - 1));
	}

	@BeforeEach
	void requirePythonCelery() {
		PythonCelery.require();
	}

	@AfterAll
	static void stopSampleApp() {
		if (application != null) {
			application.close();
		}
	}

	@Test
	void pythonClientCoversEveryContractTask() {
		Set<String> sent = new TreeSet<>();
		report().get("cases").forEach((item) -> sent.add(item.get("task").asString()));
		assertThat(sent).containsAll(CONTRACT_TASKS);
	}

	@Test
	void pythonClientIsCelery5() {
		assertThat(report().get("celery").asString()).startsWith("5.");
	}

	@TestFactory
	Stream<DynamicTest> everyContractCaseGivesPythonItsExpectedResult() {
		List<DynamicTest> tests = new ArrayList<>();
		report().get("cases")
			.forEach((item) -> tests.add(DynamicTest.dynamicTest(item.get("name").asString(), () -> check(item))));
		return tests.stream();
	}

	private static void check(JsonNode item) {
		JsonNode expected = item.get("expected");
		JsonNode actual = item.get("actual");
		String description = String.format("%s: %s%s kwargs=%s (task id %s)%n  expected %s%n  got      %s",
				item.get("name").asString(), item.get("task").asString(), item.get("args"), item.get("kwargs"),
				item.get("task_id").asString(), expected, actual);
		for (String field : expected.propertyNames()) {
			if (field.equals("exc_message_contains")) {
				assertThat(actual.path("exc_message").asString("")).as(description)
					.contains(expected.get(field).asString());
			}
			else {
				// JsonNode equality keeps 5 and 5.0 apart, as Python does for int and
				// float.
				assertThat(actual.get(field)).as("%s: %s", field, description).isEqualTo(expected.get(field));
			}
		}
	}

	private static JsonNode report() {
		assertThat(report).as("report of contract_client.py read in @BeforeAll").isNotNull();
		return report;
	}

}
