package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskRevokedException;
import io.celery4j.task.TaskOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The worker holds at most prefetch multiplier times concurrency messages; eta messages
 * wait without taking a slot; expired messages are revoked, not run.
 */
class PrefetchTests {

	private final TestWorker harness = TestWorker.onMemory();

	private final CountDownLatch release = new CountDownLatch(1);

	private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();

	private final AtomicInteger runs = new AtomicInteger();

	PrefetchTests() {
		this.harness.task("tasks.block", (context) -> {
			this.runs.incrementAndGet();
			this.startedAt.put(context.getId(), Instant.now());
			return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		});
		this.harness.task("tasks.block_late", new TaskOptions(null, true, false), (context) -> {
			this.runs.incrementAndGet();
			return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		});
		this.harness.task("tasks.now", (context) -> {
			this.runs.incrementAndGet();
			this.startedAt.put(context.getId(), Instant.now());
			return "ran";
		});
	}

	@AfterEach
	void close() {
		this.release.countDown();
		this.harness.close();
	}

	@Test
	void holdsNoMoreThanMultiplierTimesConcurrencyUnacknowledged() {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 2, 2, Duration.ofSeconds(10)));
		int slots = worker.getPool().getSize();
		int limit = 2 * slots;
		List<AsyncResult> results = sendBlocking("tasks.block", 12);
		// Early acks: the running tasks are acknowledged, so limit more are held besides.
		await().atMost(TestWorker.TIMEOUT)
			.until(() -> worker.getState().getActive().size() == slots
					&& worker.getState().getReserved().size() == limit);
		await().during(Duration.ofMillis(500)).atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(unacked()).isEqualTo(limit);
			assertThat(worker.getPrefetched()).isEqualTo(limit);
			assertThat(this.harness.queueLength()).isEqualTo(12 - slots - limit);
		});
		this.release.countDown();
		results.forEach((result) -> assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true));
		assertNothingHeld(worker);
	}

	@Test
	void countsRunningAcksLateTasksAgainstTheLimit() {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 2, 2, Duration.ofSeconds(10)));
		int slots = worker.getPool().getSize();
		int limit = 2 * slots;
		List<AsyncResult> results = sendBlocking("tasks.block_late", 12);
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == slots);
		await().during(Duration.ofMillis(500)).atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(unacked()).isEqualTo(limit);
			assertThat(this.harness.queueLength()).isEqualTo(12 - limit);
		});
		this.release.countDown();
		results.forEach((result) -> assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true));
		assertNothingHeld(worker);
	}

	@Test
	void holdsEtaMessagesWithoutTakingAPrefetchSlot() {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofSeconds(10)));
		List<AsyncResult> later = IntStream.range(0, 3)
			.mapToObj((i) -> this.harness.send("tasks.now", SendOptions.defaults().countdown(Duration.ofMinutes(5))))
			.toList();
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getScheduled().size() == 3);
		// With a prefetch limit of 1, a held message taking a slot would block this one.
		AsyncResult now = this.harness.send("tasks.now");
		assertThat(now.get(TestWorker.TIMEOUT)).isEqualTo("ran");
		// The held messages stay unacknowledged on the broker, as in Celery.
		assertThat(unacked()).isEqualTo(3);
		assertThat(worker.getPrefetched()).isZero();
		assertThat(later).allSatisfy((result) -> assertThat(result.state()).isEqualTo(TaskState.PENDING));
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void runsEtaMessagesNoEarlierThanTheirEta() {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofSeconds(10)));
		Instant eta = Instant.now().plusMillis(1000);
		List<AsyncResult> later = IntStream.range(0, 3)
			.mapToObj((i) -> this.harness.send("tasks.now", SendOptions.defaults().eta(eta)))
			.toList();
		later.forEach((result) -> assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("ran"));
		later.forEach((result) -> assertThat(this.startedAt.get(result.getId())).isAfterOrEqualTo(eta));
		assertNothingHeld(worker);
	}

	@Test
	void runsAMessageWhoseEtaHasPassedAtOnce() {
		WorkerContainer worker = this.harness.start(1);
		AsyncResult result = this.harness.send("tasks.now", SendOptions.defaults().eta(Instant.now().minusSeconds(60)));
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("ran");
		assertNothingHeld(worker);
	}

	@Test
	void revokesAnExpiredMessageWithoutRunningIt() {
		WorkerContainer worker = this.harness.start(1);
		AsyncResult expired = this.harness.send("tasks.now",
				SendOptions.defaults().expires(Instant.now().minusSeconds(1)));
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> expired.get(TestWorker.TIMEOUT));
		assertThat(expired.info().status()).isEqualTo(TaskState.REVOKED);
		assertThat(expired.info().exception())
			.isEqualTo(new ExceptionInfo("TaskRevokedError", List.of("expired"), "celery.exceptions"));
		assertThat(this.runs).hasValue(0);
		assertNothingHeld(worker);
	}

	@Test
	void revokesAnEtaMessageThatExpiresWhileHeld() {
		WorkerContainer worker = this.harness.start(1);
		AsyncResult result = this.harness.send("tasks.now",
				SendOptions.defaults().countdown(Duration.ofMillis(800)).expires(Instant.now().plusMillis(300)));
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT));
		assertThat(result.info().exception().arguments()).containsExactly("expired");
		assertThat(this.runs).hasValue(0);
		assertNothingHeld(worker);
	}

	@Test
	void revokesAnExpiredMessageThatWaitedForAPoolSlot() {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 4, Duration.ofSeconds(10)));
		AsyncResult blocking = this.harness.send("tasks.block");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		// Far enough for a loaded machine to fetch it before it expires.
		Instant expires = Instant.now().plusSeconds(2);
		AsyncResult waiting = this.harness.send("tasks.now", SendOptions.defaults().expires(expires));
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getReserved().size() == 1);
		await().atMost(TestWorker.TIMEOUT).until(() -> Instant.now().isAfter(expires));
		this.release.countDown();
		assertThat(blocking.get(TestWorker.TIMEOUT)).isEqualTo(true);
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> waiting.get(TestWorker.TIMEOUT));
		assertThat(this.runs).hasValue(1);
		assertNothingHeld(worker);
	}

	private List<AsyncResult> sendBlocking(String task, int count) {
		return IntStream.range(0, count).mapToObj((i) -> this.harness.send(task)).toList();
	}

	private int unacked() {
		return ((MemoryBroker) this.harness.broker).unackedCount();
	}

	private void assertNothingHeld(WorkerContainer worker) {
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(unacked()).isZero();
			assertThat(worker.getPrefetched()).isZero();
			assertThat(this.harness.queueLength()).isZero();
		});
	}

}
