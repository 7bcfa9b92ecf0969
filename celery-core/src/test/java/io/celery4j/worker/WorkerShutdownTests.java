package io.celery4j.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.task.TaskOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stop lets running tasks finish within the shutdown timeout, gives received but
 * unstarted messages back to the queue, then calls back; a worker can start again.
 */
class WorkerShutdownTests {

	private static final TaskOptions ACKS_LATE = new TaskOptions(null, true, false);

	private static final TaskOptions ACKS_LATE_REJECT = ACKS_LATE.withRejectOnWorkerLost(true);

	private final TestWorker harness = TestWorker.onMemory();

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicBoolean stuck = new AtomicBoolean(true);

	private final AtomicInteger runs = new AtomicInteger();

	WorkerShutdownTests() {
		this.harness.task("tasks.block", (context) -> {
			this.runs.incrementAndGet();
			return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		});
		this.harness.task("tasks.block_late", ACKS_LATE, (context) -> {
			this.runs.incrementAndGet();
			return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		});
		this.harness.task("tasks.deaf", this::ignoreInterrupts);
		this.harness.task("tasks.block_late_reject", ACKS_LATE_REJECT, (context) -> {
			this.runs.incrementAndGet();
			return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		});
		this.harness.task("tasks.deaf_late", ACKS_LATE, this::ignoreInterrupts);
		this.harness.task("tasks.deaf_late_reject", ACKS_LATE_REJECT, this::ignoreInterrupts);
		this.harness.task("tasks.now", (context) -> {
			this.runs.incrementAndGet();
			return "ran";
		});
	}

	private Object ignoreInterrupts(Object context) {
		this.runs.incrementAndGet();
		while (this.stuck.get()) {
			// Busy, deaf to interrupts, as badly written code is.
			Thread.onSpinWait();
		}
		return "finished anyway";
	}

	@AfterEach
	void close() {
		this.release.countDown();
		this.stuck.set(false);
		this.harness.close();
	}

	@Test
	void letsRunningTasksFinishAndGivesUnstartedMessagesBack() throws Exception {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 4, Duration.ofSeconds(10)));
		List<AsyncResult> results = IntStream.range(0, 5).mapToObj((i) -> this.harness.send("tasks.block")).toList();
		await().atMost(TestWorker.TIMEOUT)
			.until(() -> worker.getState().getActive().size() == 1 && worker.getState().getReserved().size() == 4);
		CountDownLatch stopped = new CountDownLatch(1);
		worker.stop(stopped::countDown);
		await().during(Duration.ofMillis(300)).atMost(TestWorker.TIMEOUT).until(() -> stopped.getCount() == 1);
		assertThat(worker.isRunning()).isTrue();
		this.release.countDown();
		assertThat(stopped.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(worker.isRunning()).isFalse();
		assertThat(results.get(0).get(TestWorker.TIMEOUT)).isEqualTo(true);
		assertThat(results.subList(1, 5))
			.allSatisfy((result) -> assertThat(result.state()).isEqualTo(TaskState.PENDING));
		assertThat(this.harness.queueLength()).isEqualTo(4);
		assertThat(unacked()).isZero();
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void runsTheGivenBackMessagesAfterAStartAgain() throws Exception {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 4, Duration.ofSeconds(10)));
		List<AsyncResult> results = IntStream.range(0, 5).mapToObj((i) -> this.harness.send("tasks.block")).toList();
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getReserved().size() == 4);
		this.release.countDown();
		TestWorker.stopAndWait(worker);
		worker.start();
		assertThat(worker.isRunning()).isTrue();
		results.forEach((result) -> assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true));
		assertThat(this.runs).hasValue(5);
		TestWorker.stopAndWait(worker);
		worker.start();
		assertThat(this.harness.send("tasks.now").get(TestWorker.TIMEOUT)).isEqualTo("ran");
	}

	@Test
	void givesMessagesHeldForTheirEtaBack() throws Exception {
		WorkerContainer worker = this.harness.start(1);
		AsyncResult later = this.harness.send("tasks.now", SendOptions.defaults().countdown(Duration.ofMinutes(5)));
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getScheduled().size() == 1);
		TestWorker.stopAndWait(worker);
		assertThat(this.harness.queueLength()).isEqualTo(1);
		assertThat(unacked()).isZero();
		assertThat(later.state()).isEqualTo(TaskState.PENDING);
		assertThat(this.runs).hasValue(0);
	}

	@Test
	void storesWorkerLostErrorForAnEarlyAckedTaskInterruptedAfterTheTimeout() throws Exception {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.block");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		try (LogCapture log = LogCapture.of(Level.WARN, WorkerContainer.class, TaskTracer.class)) {
			TestWorker.stopAndWait(worker);
			assertThat(log.messages(Level.WARN)).anySatisfy((line) -> assertThat(line)
				.contains("interrupts 1 task(s) still running after the shutdown timeout PT0.2S"));
			assertThat(log.events()).allSatisfy((event) -> assertThat(event.getThrowableProxy()).isNull());
		}
		assertThat(result.info().status()).isEqualTo(TaskState.FAILURE);
		ExceptionInfo exception = result.info().exception();
		assertThat(exception.type()).isEqualTo("WorkerLostError");
		assertThat(exception.module()).isEqualTo("billiard.exceptions");
		assertThat(exception.message()).contains(worker.getOptions().nodeName());
		assertThat(unacked()).isZero();
		assertThat(this.harness.queueLength()).isZero();
	}

	@Test
	void storesWorkerLostErrorAndAcknowledgesAnAcksLateTaskInterruptedAfterTheTimeout() throws Exception {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.block_late");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		TestWorker.stopAndWait(worker);
		assertThat(result.info().status()).isEqualTo(TaskState.FAILURE);
		assertThat(result.info().exception().type()).isEqualTo("WorkerLostError");
		assertThat(this.harness.queueLength()).isZero();
		assertThat(unacked()).isZero();
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void givesAnAcksLateTaskInterruptedAfterTheTimeoutBackToTheQueueWithRejectOnWorkerLost() throws Exception {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.block_late_reject");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		try (LogCapture log = LogCapture.of(Level.WARN, WorkerContainer.class, TaskTracer.class)) {
			TestWorker.stopAndWait(worker);
			assertThat(log.messages(Level.WARN)).contains("Task tasks.block_late_reject[" + result.getId()
					+ "] interrupted by the shutdown of worker " + worker.getOptions().nodeName()
					+ "; its message goes back to queue '" + this.harness.queue + "'");
		}
		assertThat(result.state()).isEqualTo(TaskState.PENDING);
		assertThat(this.harness.queueLength()).isEqualTo(1);
		assertThat(unacked()).isZero();
		this.release.countDown();
		worker.start();
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true);
		assertThat(this.runs).hasValue(2);
	}

	@Test
	void acknowledgesAnAcksLateTaskIgnoringTheInterruptAsWorkerLost() throws Exception {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.deaf_late");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		TestWorker.stopAndWait(worker);
		assertThat(result.info().status()).isEqualTo(TaskState.FAILURE);
		assertThat(result.info().exception().type()).isEqualTo("WorkerLostError");
		assertThat(this.harness.queueLength()).isZero();
		assertThat(unacked()).isZero();
		this.stuck.set(false);
		// The thread ends in the background and stores what it returned, as an
		// early-acked task's does.
		await().atMost(TestWorker.TIMEOUT).until(() -> TaskState.SUCCESS.equals(result.state()));
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("finished anyway");
		assertThat(this.harness.queueLength()).isZero();
	}

	@Test
	void stopsInTimeWhenAnAcksLateTaskIgnoresTheInterruptWithRejectOnWorkerLost() throws Exception {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.deaf_late_reject");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		try (LogCapture log = LogCapture.of(Level.WARN, WorkerContainer.class, TaskTracer.class)) {
			TestWorker.stopAndWait(worker);
			assertThat(this.harness.queueLength()).isEqualTo(1);
			assertThat(unacked()).isZero();
			this.stuck.set(false);
			// The task ends in the background; its message was given back, so it neither
			// acknowledges nor stores a result: the next run will.
			await().during(Duration.ofMillis(300)).atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
				assertThat(result.state()).isEqualTo(TaskState.PENDING);
				assertThat(this.harness.queueLength()).isEqualTo(1);
			});
			assertThat(log.messages(Level.WARN)).containsExactly(
					"Worker " + worker.getOptions().nodeName() + " interrupts 1 task(s) still running after the "
							+ "shutdown timeout PT0.2S: [tasks.deaf_late_reject[" + result.getId() + "]]",
					"Worker " + worker.getOptions().nodeName() + " stopped with 1 task(s) ignoring the interrupt: "
							+ "[tasks.deaf_late_reject[" + result.getId() + "]]");
		}
	}

	@Test
	void stopsInTimeWhenAnEarlyAckedTaskIgnoresTheInterrupt() throws Exception {
		WorkerContainer worker = this.harness
			.start(this.harness.options(TestPools.configured(), 1, 1, Duration.ofMillis(200)));
		AsyncResult result = this.harness.send("tasks.deaf");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		try (LogCapture log = LogCapture.of(Level.WARN, WorkerContainer.class)) {
			TestWorker.stopAndWait(worker);
			assertThat(log.messages(Level.WARN)).last()
				.asString()
				.contains("stopped with 1 task(s) ignoring the interrupt");
		}
		assertThat(this.harness.queueLength()).isZero();
		assertThat(unacked()).isZero();
		this.stuck.set(false);
		// Acknowledged when it started: its result is still stored when it ends.
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("finished anyway");
	}

	@Test
	void callsBackAtOnceWhenNotRunning() throws Exception {
		WorkerContainer worker = new WorkerContainer(this.harness.broker, this.harness.backend, this.harness.registry,
				this.harness.options(TestPools.configured(), 1));
		CountDownLatch stopped = new CountDownLatch(1);
		worker.stop(stopped::countDown);
		assertThat(stopped.getCount()).isZero();
	}

	private int unacked() {
		return ((MemoryBroker) this.harness.broker).unackedCount();
	}

}
