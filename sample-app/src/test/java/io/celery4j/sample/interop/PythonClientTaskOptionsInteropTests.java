package io.celery4j.sample.interop;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.celery4j.sample.SampleApplication;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.RedisTestServer;
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

/**
 * A real Python Celery client ({@code celery-core/src/test/python/options_client.py})
 * sends the sample app's tasks with Celery's execution options (countdown, naive and
 * offset-aware eta, expires, and time limits in the {@code timelimit} header) to the
 * sample app's Java worker and reports what {@code AsyncResult} showed it. The client
 * runs once for the class; each test checks one case.
 */
class PythonClientTaskOptionsInteropTests {

	private static final Duration RESULTS_TIMEOUT = Duration.ofSeconds(30);

	private static final double DELAY_SECONDS = 2.0;

	private static final int BROKER_DB = 6;

	private static final int BACKEND_DB = 7;

	/**
	 * UTC-5 all year (POSIX sign: Etc/GMT+5 is five hours behind UTC): a naive eta read
	 * in UTC instead would lie five hours in the past and run at once.
	 */
	private static final String WORKER_TIMEZONE = "Etc/GMT+5";

	private static @Nullable ConfigurableApplicationContext application;

	private static @Nullable JsonNode report;

	@BeforeAll
	static void sendOptionsFromPythonToTheSampleApp() {
		if (!PythonCelery.isAvailable()) {
			// Each test then skips (or fails) with the reason in @BeforeEach.
			return;
		}
		PythonCelery python = PythonCelery.require();
		String queue = "interop-options-" + UUID.randomUUID().toString().substring(0, 8);
		RedisTestServer redis = RedisTestServer.get();
		application = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--celery.broker-url=" + redis.url(BROKER_DB), "--celery.result-backend=" + redis.url(BACKEND_DB),
				"--celery.worker.queues=" + queue, "--celery.worker.name=java-" + queue + "@localhost",
				"--celery.worker.concurrency=4", "--celery.timezone=" + WORKER_TIMEZONE,
				"--sample.tick-queue=" + queue);
		List<String> arguments = List.of("--broker", redis.url(BROKER_DB), "--backend", redis.url(BACKEND_DB),
				"--queue", queue, "--worker-utc-offset-hours", "-5", "--delay", String.valueOf(DELAY_SECONDS),
				"--timeout", String.valueOf(RESULTS_TIMEOUT.toSeconds()));
		PythonCelery.Result result = python.run(PythonScripts.read("options_client.py"), arguments, null,
				RESULTS_TIMEOUT.plusSeconds(30), PythonScripts.directory());
		result.successfulOutput();
		List<String> lines = result.lines();
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
	void countdownRunsTheTaskNoEarlierThanTheDelay() {
		assertSucceededAfterTheDelay("countdown", 3);
	}

	@Test
	void naiveEtaIsReadInTheWorkersTimezone() {
		assertSucceededAfterTheDelay("eta_naive", 5);
	}

	@Test
	void offsetAwareEtaIsReadWithItsOffset() {
		assertSucceededAfterTheDelay("eta_aware", 7);
	}

	@Test
	void expiredTaskIsRevokedAndPythonGetRaisesTaskRevokedError() {
		JsonNode expired = outcome("expires_past");
		assertThat(expired.get("state").asString()).as("%s", expired).isEqualTo("REVOKED");
		assertThat(expired.get("exc_type").asString()).isEqualTo("TaskRevokedError");
		assertThat(expired.get("exc_module").asString()).isEqualTo("celery.exceptions");
		assertThat(expired.get("exc_message").asString()).contains("expired");
	}

	@Test
	void taskThatHasNotExpiredRuns() {
		JsonNode fresh = outcome("expires_future");
		assertThat(fresh.get("state").asString()).as("%s", fresh).isEqualTo("SUCCESS");
		assertThat(fresh.get("result").asInt()).isEqualTo(11);
	}

	@Test
	void hardTimeLimitFromTheTimelimitHeaderFailsTheTaskWithTimeLimitExceeded() {
		assertFailedWith("time_limit", "TimeLimitExceeded");
	}

	@Test
	void softTimeLimitFromTheTimelimitHeaderFailsTheTaskWithSoftTimeLimitExceeded() {
		assertFailedWith("soft_time_limit", "SoftTimeLimitExceeded");
	}

	@Test
	void softTimeLimitPassesFirstWhenBothLimitsAreSent() {
		assertFailedWith("soft_within_hard", "SoftTimeLimitExceeded");
	}

	@Test
	void taskWithinItsLimitsSucceeds() {
		JsonNode quick = outcome("limits_not_reached");
		assertThat(quick.get("state").asString()).as("%s", quick).isEqualTo("SUCCESS");
		assertThat(quick.get("result").asDouble()).isEqualTo(0.1);
	}

	private static void assertSucceededAfterTheDelay(String name, int sum) {
		JsonNode outcome = outcome(name);
		assertThat(outcome.get("state").asString()).as("%s", outcome).isEqualTo("SUCCESS");
		assertThat(outcome.get("result").asInt()).isEqualTo(sum);
		assertThat(outcome.get("elapsed").asDouble()).as("seconds until %s was ready", name)
			.isGreaterThanOrEqualTo(DELAY_SECONDS);
	}

	private static void assertFailedWith(String name, String type) {
		JsonNode outcome = outcome(name);
		assertThat(outcome.get("state").asString()).as("%s", outcome).isEqualTo("FAILURE");
		assertThat(outcome.get("exc_type").asString()).isEqualTo(type);
		// celery.exceptions re-exports billiard's classes: what a Python worker raises
		// too.
		assertThat(outcome.get("exc_module").asString()).isEqualTo("billiard.exceptions");
	}

	private static JsonNode outcome(String name) {
		assertThat(report).as("report of options_client.py read in @BeforeAll").isNotNull();
		JsonNode outcome = report.get("cases").get(name);
		assertThat(outcome).as("case %s in %s", name, report).isNotNull();
		return outcome;
	}

}
