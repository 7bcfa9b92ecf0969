package io.celery4j.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.client.AsyncResult;
import io.celery4j.task.TaskOptions;
import io.celery4j.testsupport.ForwardingResultBackend;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Early acknowledgement by default (when the task starts), late acknowledgement (after
 * the result is stored) for acks-late tasks.
 */
class AcknowledgementTests {

	private final TestWorker harness = TestWorker.onMemory();

	private final CountDownLatch release = new CountDownLatch(1);

	private final Map<String, Integer> unackedWhenStored = new ConcurrentHashMap<>();

	AcknowledgementTests() {
		this.harness.task("tasks.early", (context) -> this.release.await(10, TimeUnit.SECONDS));
		this.harness.task("tasks.late", new TaskOptions(null, true, false),
				(context) -> this.release.await(10, TimeUnit.SECONDS));
		this.harness.task("tasks.late_failing", new TaskOptions(null, true, false), (context) -> {
			throw new IllegalStateException("late failure");
		});
	}

	private @Nullable WorkerContainer worker;

	@AfterEach
	void close() {
		this.release.countDown();
		if (this.worker != null) {
			this.worker.stop();
		}
		this.harness.close();
	}

	@Test
	void acknowledgesWhenTheTaskStartsByDefault() {
		WorkerContainer worker = startRecordingWorker();
		AsyncResult result = this.harness.send("tasks.early");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		// Acknowledged while the task still runs (it waits for the release below).
		await().atMost(TestWorker.TIMEOUT).until(() -> unacked() == 0);
		assertThat(worker.getState().getActive()).hasSize(1);
		this.release.countDown();
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true);
		await().atMost(TestWorker.TIMEOUT).until(() -> this.unackedWhenStored.containsKey(result.getId()));
		assertThat(this.unackedWhenStored).containsEntry(result.getId(), 0);
	}

	@Test
	void acknowledgesAcksLateTasksAfterTheResultIsStored() {
		WorkerContainer worker = startRecordingWorker();
		AsyncResult result = this.harness.send("tasks.late");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
		assertThat(unacked()).isEqualTo(1);
		this.release.countDown();
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true);
		await().atMost(TestWorker.TIMEOUT).until(() -> this.unackedWhenStored.containsKey(result.getId()));
		assertThat(this.unackedWhenStored).containsEntry(result.getId(), 1);
		// Qos frees the prefetch slot after the broker's ack returns: wait for both.
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(unacked()).isZero();
			assertThat(worker.getPrefetched()).isZero();
		});
	}

	@Test
	void acknowledgesAcksLateTasksThatFailAfterStoringTheFailure() {
		WorkerContainer worker = startRecordingWorker();
		AsyncResult result;
		try (LogCapture log = LogCapture.of(Level.ERROR, TaskTracer.class)) {
			result = this.harness.send("tasks.late_failing");
			await().atMost(TestWorker.TIMEOUT).until(() -> this.unackedWhenStored.containsKey(result.getId()));
			assertThat(log.messages(Level.ERROR)).singleElement().asString().contains("RuntimeError('late failure')");
		}
		assertThat(result.failed()).isTrue();
		assertThat(this.unackedWhenStored).containsEntry(result.getId(), 1);
		// Qos frees the prefetch slot after the broker's ack returns: wait for both.
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(unacked()).isZero();
			assertThat(worker.getPrefetched()).isZero();
		});
	}

	private WorkerContainer startRecordingWorker() {
		WorkerContainer worker = new WorkerContainer(this.harness.broker, new RecordingBackend(this.harness.backend),
				this.harness.registry, this.harness.options(TestPools.configured(), 1, 4, Duration.ofSeconds(10)));
		worker.start();
		this.worker = worker;
		return worker;
	}

	private int unacked() {
		return ((MemoryBroker) this.harness.broker).unackedCount();
	}

	/**
	 * The real memory backend, noting how many messages the broker held unacknowledged at
	 * the moment each result was stored.
	 */
	private final class RecordingBackend extends ForwardingResultBackend {

		RecordingBackend(ResultBackend delegate) {
			super(delegate);
		}

		@Override
		public void store(TaskMeta meta) {
			super.store(meta);
			AcknowledgementTests.this.unackedWhenStored.put(meta.taskId(), unacked());
		}

	}

}
