package io.celery4j.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acks late and the visibility timeout on real Redis, with a worker that really dies: the
 * sample application runs in its own JVM with {@code celery.task.acks-late=true} and a 5
 * s visibility timeout, is killed with SIGKILL while it works through 200 tasks, and a
 * second JVM started after the visibility timeout restores what the first held
 * unacknowledged and finishes the work. Every task ends with a SUCCESS result; none is
 * lost.
 */
class AcksLateKillIntegrationTests {

	private static final int TASKS = 200;

	private static final int BROKER_DB = 13;

	private static final int BACKEND_DB = 14;

	private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

	private final String queue = "acks-late-kill-" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisTestServer redis = RedisTestServer.get();

	private final Broker broker = Brokers.create(this.redis.url(BROKER_DB));

	private final ResultBackend backend = ResultBackends.create(this.redis.url(BACKEND_DB), Duration.ofHours(1));

	private final CeleryClient client = new CeleryClient(this.broker, this.backend,
			new TaskRouter(Map.of(), new TaskRegistry(), this.queue), ZoneOffset.UTC);

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void close() {
		this.processes.forEach(Process::destroyForcibly);
		this.broker.close();
		this.backend.close();
	}

	@Test
	void everyTaskSucceedsOnceAfterTheWorkerIsKilledMidRun() throws Exception {
		List<AsyncResult> results = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			results.add(this.client.send("tasks.sleep", List.of(0.05), Map.of(), SendOptions.defaults()));
		}
		Process first = startWorker("first");
		await().atMost(Duration.ofSeconds(120)).until(() -> succeeded(results) >= TASKS / 4);
		first.destroyForcibly();
		assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
		Instant killed = Instant.now();
		int doneByFirst = succeeded(results);
		assertThat(doneByFirst).as("the first worker was killed mid-run").isLessThan(TASKS);
		// Start after the visibility timeout: the new worker's first restore gives back
		// what the killed one fetched and never acknowledged.
		await().pollDelay(VISIBILITY_TIMEOUT.plusSeconds(1)).until(() -> true);
		assertThat(Duration.between(killed, Instant.now())).isGreaterThan(VISIBILITY_TIMEOUT);
		startWorker("second");
		await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(succeeded(results)).isEqualTo(TASKS));
		for (AsyncResult result : results) {
			assertThat(result.info().status()).isEqualTo(TaskState.SUCCESS);
			assertThat(result.get(Duration.ofSeconds(30))).isEqualTo(0.05);
		}
		assertThat(results.stream().map(AsyncResult::getId).distinct()).hasSize(TASKS);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.broker.queueLength(this.queue)).isZero());
	}

	private int succeeded(List<AsyncResult> results) {
		int count = 0;
		for (AsyncResult result : results) {
			if (TaskState.SUCCESS.equals(result.state())) {
				count++;
			}
		}
		return count;
	}

	private Process startWorker(String name) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--celery.broker-url=" + this.redis.url(BROKER_DB),
				"--celery.result-backend=" + this.redis.url(BACKEND_DB), "--celery.task.acks-late=true",
				"--celery.broker-transport-options.visibility-timeout=" + VISIBILITY_TIMEOUT.toSeconds(),
				"--celery.worker.queues=" + this.queue, "--celery.worker.concurrency=4",
				"--celery.worker.name=" + name + "-" + this.queue + "@localhost", "--celery.beat.enabled=false",
				"--server.port=0", "--spring.main.banner-mode=off"));
		File log = Files.createDirectories(Path.of("target", "acks-late-kill"))
			.resolve(this.queue + "-" + name + ".log")
			.toFile();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		this.processes.add(process);
		return process;
	}

}
