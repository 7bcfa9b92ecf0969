package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskRevokedException;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Countdown and eta hold a request on the timer without a pool thread and run it no
 * earlier than its eta; a past expires stores REVOKED (expired) instead of running.
 */
class EtaAndExpiresTests {

	private final TestWorker harness = TestWorker.onMemory();

	private final Map<String, Instant> ranAt = new ConcurrentHashMap<>();

	EtaAndExpiresTests() {
		this.harness.task("tasks.stamp", (context) -> {
			this.ranAt.put(context.getId(), Instant.now());
			return "ran";
		});
	}

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void runsACountdownTaskNoEarlierThanItsEta() {
		this.harness.start(this.harness.options(PoolType.THREADS, 1));
		Instant sent = Instant.now();
		AsyncResult result = this.harness.send("tasks.stamp", SendOptions.defaults().countdown(Duration.ofSeconds(1)));
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("ran");
		assertThat(this.ranAt.get(result.getId())).isAfterOrEqualTo(sent.plusSeconds(1));
	}

	@Test
	void heldEtaRequestsLeaveThePoolFree() {
		WorkerContainer worker = this.harness.start(this.harness.options(PoolType.SOLO, 1));
		AsyncResult later = this.harness.send("tasks.stamp", SendOptions.defaults().eta(Instant.now().plusSeconds(60)));
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getScheduled().size() == 1);
		assertThat(this.harness.send("tasks.stamp").get(TestWorker.TIMEOUT)).isEqualTo("ran");
		assertThat(later.ready()).isFalse();
		assertThat(worker.getState().getScheduled()).extracting(TaskRequest::getId).containsExactly(later.getId());
	}

	@Test
	void storesRevokedExpiredForAPastExpiresWithoutRunning() {
		this.harness.start(this.harness.options(PoolType.THREADS, 1));
		AsyncResult result = this.harness.send("tasks.stamp",
				SendOptions.defaults().expires(Instant.now().minusSeconds(5)));
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT));
		assertThat(result.info().result()).asString().contains("expired");
		assertThat(this.ranAt).doesNotContainKey(result.getId());
	}

	@Test
	void dropsAnEtaRequestThatExpiresBeforeItIsDue() {
		this.harness.start(this.harness.options(PoolType.THREADS, 1));
		AsyncResult result = this.harness.send("tasks.stamp",
				SendOptions.defaults().countdown(Duration.ofSeconds(2)).expires(Instant.now().plusMillis(500)));
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT));
		assertThat(this.ranAt).doesNotContainKey(result.getId());
	}

}
