package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import io.celery4j.backend.TaskState;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.TaskOptions;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The worker on a real Redis broker and backend: results, the prefetch limit and acks as
 * kombu's {@code unacked} hash shows them, a stop in the middle of a queue, and load.
 */
class WorkerRedisIntegrationTests {

	private static final int BROKER_DB = 8;

	private static final int BACKEND_DB = 9;

	private final TestWorker harness = TestWorker.onRedis(BROKER_DB, BACKEND_DB);

	private final RedisKeys keys = new RedisKeys(BROKER_DB);

	private final CountDownLatch release = new CountDownLatch(1);

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final AtomicInteger started = new AtomicInteger();

	private final CountDownLatch gate = new CountDownLatch(1);

	private volatile int openFor = Integer.MAX_VALUE;

	WorkerRedisIntegrationTests() {
		this.harness.task("tasks.add", (context) -> {
			count(context.getId());
			return ((Number) context.getArgs().get(0)).longValue() + ((Number) context.getArgs().get(1)).longValue();
		});
		this.harness.task("tasks.fail", (context) -> {
			throw new IllegalArgumentException("bad value " + context.getArgs().get(0));
		});
		this.harness.task("tasks.block", (context) -> {
			count(context.getId());
			return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		});
		this.harness.task("tasks.block_late", new TaskOptions(null, true, false), (context) -> {
			count(context.getId());
			return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		});
		this.harness.task("tasks.block_late_reject", new TaskOptions(null, true, false).withRejectOnWorkerLost(true),
				(context) -> {
					count(context.getId());
					return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				});
		this.harness.task("tasks.work", (context) -> {
			if (count(context.getId()) > this.openFor) {
				// Held until the stop has taken back what did not start.
				this.gate.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			return context.getId();
		});
	}

	@BeforeEach
	void clean() {
		this.keys.clearUnacked();
	}

	@AfterEach
	void close() {
		this.release.countDown();
		this.harness.close();
		this.keys.close();
	}

	/**
	 * Check that every message sent has either a stored result (and ran once) or is back
	 * in the queue (and did not run), none twice, and nothing is left unacknowledged.
	 */
	private void assertAccountedForOnce(List<String> ids) {
		Set<String> stored = ids.stream()
			.filter((id) -> TaskState.SUCCESS.equals(this.harness.backend.get(id).status()))
			.collect(Collectors.toSet());
		List<String> queued = this.keys.queuedIds(this.harness.queue);
		assertThat(this.keys.unacked()).isZero();
		assertThat(this.keys.unackedIndex()).isZero();
		assertThat(queued).doesNotHaveDuplicates().doesNotContainAnyElementsOf(stored);
		Set<String> accounted = new HashSet<>(stored);
		accounted.addAll(queued);
		assertThat(accounted).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(stored).isNotEmpty();
		assertThat(queued).isNotEmpty();
		assertThat(this.runs.keySet()).isEqualTo(stored);
		assertThat(this.runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
	}

	private int count(String id) {
		this.runs.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
		return this.started.incrementAndGet();
	}

	/**
	 * Stop while tasks are held at the gate, and open it once the stop has given back
	 * what had not started: the held tasks then finish within the shutdown timeout.
	 */
	private void stopWhileTasksAreHeld(WorkerContainer worker) throws InterruptedException {
		try (LogCapture log = LogCapture.of(Level.INFO, WorkerContainer.class)) {
			CountDownLatch stopped = new CountDownLatch(1);
			worker.stop(stopped::countDown);
			await().atMost(TestWorker.TIMEOUT)
				.until(() -> log.messages(Level.INFO).stream().anyMatch((line) -> line.startsWith("Restoring ")));
			this.gate.countDown();
			assertThat(stopped.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void storesSuccessAndFailureThroughRedis() {
		this.harness.start(2);
		assertThat(this.harness.send("tasks.add", 20, 22).get(TestWorker.TIMEOUT)).isEqualTo(42);
		try (LogCapture log = LogCapture.of(Level.ERROR, TaskTracer.class)) {
			AsyncResult failed = this.harness.send("tasks.fail", 7);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(TestWorker.TIMEOUT))
				.satisfies((ex) -> assertThat(ex.getMessage()).contains("bad value 7"));
			assertThat(log.messages(Level.ERROR)).singleElement()
				.asString()
				.contains("tasks.fail[" + failed.getId() + "] raised unexpected: ValueError('bad value 7')");
			assertThat(failed.info().exception().type()).isEqualTo("ValueError");
		}
		await().atMost(TestWorker.TIMEOUT).until(() -> this.keys.unacked() == 0 && this.keys.unackedIndex() == 0);
	}

	@Test
	void rejectsPoisonMessagesWithoutLeavingThemQueuedOrUnacked() {
		this.harness.start(2);
		try (LogCapture log = LogCapture.of(Level.WARN, TaskConsumer.class, Qos.class)) {
			this.harness.publishRaw("not json at all");
			this.harness.publishRaw("{\"content-type\": \"application/x-python-serialize\", \"body\": \"gASV\", "
					+ "\"headers\": {\"task\": \"tasks.add\", \"id\": \"pickled-1\"}, \"properties\": "
					+ "{\"delivery_tag\": \"tag-pickled-1\", \"body_encoding\": \"base64\"}}");
			this.harness.publishRaw("[1, 2, 3]");
			assertThat(this.harness.send("tasks.add", 1, 2).get(TestWorker.TIMEOUT)).isEqualTo(3);
			await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> assertThat(log.messages(Level.WARN)).hasSize(3));
			assertThat(log.messages(Level.WARN)).anySatisfy((line) -> assertThat(line)
				.startsWith("Rejected message pickled-1: content type 'application/x-python-serialize'"));
		}
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(this.harness.queueLength()).isZero();
			assertThat(this.keys.unacked()).isZero();
			assertThat(this.keys.unackedIndex()).isZero();
		});
	}

	@Test
	void neverHoldsMoreThanThePrefetchLimitInUnacked() {
		WorkerContainer worker = this.harness
			.start(this.harness.options(PoolType.THREADS, 2, 2, Duration.ofSeconds(10)));
		List<AsyncResult> results = IntStream.range(0, 20).mapToObj((i) -> this.harness.send("tasks.block")).toList();
		await().atMost(TestWorker.TIMEOUT)
			.until(() -> worker.getState().getActive().size() == 2 && worker.getState().getReserved().size() == 4);
		// Running tasks were acknowledged when they started; 2 x 2 more are held.
		await().during(Duration.ofMillis(500)).atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(this.keys.unacked()).isEqualTo(4);
			assertThat(this.harness.queueLength()).isEqualTo(14);
		});
		this.release.countDown();
		results.forEach((result) -> assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true));
		await().atMost(TestWorker.TIMEOUT).until(() -> this.keys.unacked() == 0 && this.keys.unackedIndex() == 0);
	}

	@Test
	void keepsAnAcksLateMessageInUnackedUntilItsResultIsStored() {
		WorkerContainer worker = this.harness.start(1);
		AsyncResult result = this.harness.send("tasks.block_late");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		// A message taken by BRPOP is recorded in unacked without waiting for the
		// reply, so the record may land just after the task started.
		await().atMost(TestWorker.TIMEOUT).until(() -> this.keys.unacked() == 1);
		this.release.countDown();
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true);
		await().atMost(TestWorker.TIMEOUT).until(() -> this.keys.unacked() == 0 && this.keys.unackedIndex() == 0);
	}

	@Test
	void acknowledgesAnEarlyAckMessageWhenItStarts() {
		WorkerContainer worker = this.harness.start(1);
		AsyncResult result = this.harness.send("tasks.block");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		// Acknowledged while the task still runs (it waits for the release below).
		await().atMost(TestWorker.TIMEOUT).until(() -> this.keys.unacked() == 0);
		assertThat(worker.getState().getActive()).hasSize(1);
		this.release.countDown();
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true);
	}

	@Test
	void storesWorkerLostErrorForATaskInterruptedByTheShutdown() throws InterruptedException {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.block");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		try (LogCapture log = LogCapture.of(Level.WARN, WorkerContainer.class, TaskTracer.class)) {
			TestWorker.stopAndWait(worker);
		}
		assertThat(result.info().status()).isEqualTo(TaskState.FAILURE);
		assertThat(result.info().exception().type()).isEqualTo("WorkerLostError");
		assertThat(this.keys.unacked()).isZero();
		assertThat(this.harness.queueLength()).isZero();
	}

	@Test
	void acknowledgesAnAcksLateTaskInterruptedByTheShutdownAsWorkerLost() throws InterruptedException {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.block_late");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		try (LogCapture log = LogCapture.of(Level.WARN, WorkerContainer.class, TaskTracer.class)) {
			TestWorker.stopAndWait(worker);
		}
		// Celery without reject_on_worker_lost: FAILURE WorkerLostError, acknowledged.
		assertThat(result.info().status()).isEqualTo(TaskState.FAILURE);
		assertThat(result.info().exception().type()).isEqualTo("WorkerLostError");
		assertThat(this.keys.queuedIds(this.harness.queue)).isEmpty();
		assertThat(this.keys.unacked()).isZero();
		assertThat(this.keys.unackedIndex()).isZero();
	}

	@Test
	void givesAnAcksLateTaskInterruptedByTheShutdownBackToTheQueueWithRejectOnWorkerLost() throws InterruptedException {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.block_late_reject");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		try (LogCapture log = LogCapture.of(Level.WARN, WorkerContainer.class, TaskTracer.class)) {
			TestWorker.stopAndWait(worker);
		}
		assertThat(result.state()).isEqualTo(TaskState.PENDING);
		assertThat(this.keys.queuedIds(this.harness.queue)).containsExactly(result.getId());
		assertThat(this.keys.unacked()).isZero();
		assertThat(this.keys.unackedIndex()).isZero();
	}

	@Test
	void losesAndDuplicatesNothingWhenStoppedMidway() throws InterruptedException {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 4, 4, Duration.ofSeconds(10)));
		this.openFor = 40;
		List<String> ids = IntStream.range(0, 400).mapToObj((i) -> this.harness.send("tasks.work").getId()).toList();
		await().atMost(TestWorker.TIMEOUT)
			.until(() -> worker.getState().getActive().size() == 4 && worker.getState().getReserved().size() == 16
					&& this.started.get() == 44);
		stopWhileTasksAreHeld(worker);
		assertAccountedForOnce(ids);
		worker.start();
		ids.forEach((id) -> assertThat(this.harness.client.result(id).get(TestWorker.TIMEOUT)).isEqualTo(id));
		assertThat(this.runs).hasSize(ids.size());
		assertThat(this.runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
	}

	@Test
	void losesAndDuplicatesNothingWhenStoppedWhileEtaMessagesComeDue() throws InterruptedException {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 2, 1, Duration.ofSeconds(10)));
		this.openFor = 5;
		// Spread over 400 ms, so that some come due while the worker stops.
		Instant first = Instant.now().plusMillis(500);
		List<String> ids = IntStream.range(0, 200)
			.mapToObj((i) -> this.harness.send("tasks.work", SendOptions.defaults().eta(first.plusMillis(2L * i)))
				.getId())
			.toList();
		// Two tasks held at the gate, and more received that did not start.
		await().atMost(TestWorker.TIMEOUT)
			.until(() -> this.started.get() == 7 && worker.getState().getActive().size() == 2
					&& worker.getState().getReserved().size() + worker.getState().getScheduled().size() > 0);
		stopWhileTasksAreHeld(worker);
		assertAccountedForOnce(ids);
		worker.start();
		ids.forEach((id) -> assertThat(this.harness.client.result(id).get(TestWorker.TIMEOUT)).isEqualTo(id));
		assertThat(this.runs).hasSize(ids.size());
		assertThat(this.runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
	}

	@Test
	void runsTwoThousandTasksOnEightThreadsWithoutLeakingPrefetchSlots() {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 8, 4, Duration.ofSeconds(10)));
		List<AsyncResult> results = IntStream.range(0, 2000)
			.mapToObj((i) -> this.harness.send("tasks.add", i, 1_000_000 * i))
			.toList();
		for (int i = 0; i < results.size(); i++) {
			assertThat(results.get(i).get(TestWorker.TIMEOUT)).isEqualTo(1_000_001 * i);
		}
		assertThat(this.runs).hasSize(2000);
		assertThat(this.runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(worker.getPrefetched()).isZero();
			assertThat(this.keys.unacked()).isZero();
			assertThat(this.keys.unackedIndex()).isZero();
		});
		assertThat(worker.getState().getTotals()).containsEntry("tasks.add", 2000L);
	}

}
