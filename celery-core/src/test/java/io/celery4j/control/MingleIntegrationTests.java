package io.celery4j.control;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.client.SendOptions;
import io.celery4j.testsupport.RedisTestServer;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mingle between Java workers on real Redis: a worker that starts later learns the
 * revoked ids and clock of a running one before it fetches its first message. Owns its
 * queue and node names on db 3 and leaves other keys alone.
 */
class MingleIntegrationTests {

	private final AtomicInteger runs = new AtomicInteger();

	private final ControlHarness harness = new ControlHarness(RedisTestServer.get().url(3),
			RedisTestServer.get().url(3))
		.task("tasks.count", (context) -> this.runs.incrementAndGet());

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void aStartingWorkerDoesNotRunATaskRevokedOnARunningWorker() {
		// The running worker consumes another queue: only mingle can tell the new one.
		WorkerContainer running = this.harness.start(new WorkerOptions("running-" + UUID.randomUUID() + "@test", 1,
				PoolType.THREADS, List.of("other-" + UUID.randomUUID()), 4, Duration.ofSeconds(5), Duration.ofHours(1),
				ZoneOffset.UTC), false);
		String revoked = UUID.randomUUID().toString();
		running.revoke(List.of(revoked), false, 0);
		this.harness.client.send("tasks.count", List.of(), Map.of(), SendOptions.defaults().taskId(revoked));

		WorkerContainer starting = this.harness.startWithMingle(this.harness.options(1));
		assertThat(starting.getRevoked().ids()).contains(revoked);
		assertThat(starting.getClock().value()).isGreaterThan(running.getClock().value() - 1);
		TaskMeta meta = await().atMost(ControlHarness.TIMEOUT)
			.until(() -> this.harness.backend.get(revoked), TaskMeta::isReady);
		assertThat(meta.status()).isEqualTo(TaskState.REVOKED);
		assertThat(this.harness.client.send("tasks.count").get(ControlHarness.TIMEOUT)).isEqualTo(1);
	}

	@Test
	void aWorkerAloneStartsWithItsOwnRevokedIds() {
		WorkerContainer alone = this.harness.startWithMingle(this.harness.options(1));
		assertThat(alone.getRevoked().ids()).isEmpty();
		assertThat(this.harness.client.send("tasks.count").get(ControlHarness.TIMEOUT)).isEqualTo(1);
	}

}
