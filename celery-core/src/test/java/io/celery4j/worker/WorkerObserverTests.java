package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.broker.Delivery;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.worker.pool.PoolType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observers see each step of the message path once, and a failing observer changes
 * nothing for the message.
 */
class WorkerObserverTests {

	private final TestWorker harness = TestWorker.onMemory()
		.task("tasks.ok", (context) -> "done")
		.task("tasks.boom", (context) -> {
			throw new IllegalStateException("boom");
		});

	private final Recorder recorder = new Recorder();

	@AfterEach
	void close() {
		this.harness.close();
	}

	private WorkerContainer start(WorkerObserver... observers) {
		WorkerContainer worker = new WorkerContainer(this.harness.broker, this.harness.backend, this.harness.registry,
				this.harness.options(PoolType.THREADS, 2));
		for (WorkerObserver observer : observers) {
			worker.addObserver(observer);
		}
		worker.start();
		return worker;
	}

	@Test
	void observerSeesReceivedStartedAndSucceeded() {
		WorkerContainer worker = start(this.recorder);
		try {
			AsyncResult result = this.harness.send("tasks.ok");
			assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("done");
			await().atMost(TestWorker.TIMEOUT)
				.untilAsserted(() -> assertThat(this.recorder.events).containsExactly(
						"received tasks.ok " + result.getId(), "started tasks.ok " + result.getId(),
						"succeeded tasks.ok " + result.getId() + " done"));
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void observerSeesFailureWithTheStoredException() {
		WorkerContainer worker = start(this.recorder);
		try {
			AsyncResult result = this.harness.send("tasks.boom");
			await().atMost(TestWorker.TIMEOUT)
				.untilAsserted(() -> assertThat(this.recorder.events)
					.contains("failed tasks.boom " + result.getId() + " RuntimeError: boom traceback=true"));
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void observerSeesUnregisteredAndUndecodableMessagesRejected() {
		WorkerContainer worker = start(this.recorder);
		try {
			AsyncResult result = this.harness.send("tasks.nope");
			this.harness.publishRaw("not json");
			await().atMost(TestWorker.TIMEOUT)
				.untilAsserted(() -> assertThat(this.recorder.events)
					.contains("rejected tasks.nope " + result.getId()
							+ " Received unregistered task of type 'tasks.nope'")
					.anyMatch((event) -> event.startsWith("rejected <undecodable>")));
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void observerSeesExpiredRequestsRevoked() {
		WorkerContainer worker = start(this.recorder);
		try {
			AsyncResult result = this.harness.send("tasks.ok",
					SendOptions.defaults().expires(Instant.now().minusSeconds(60)));
			await().atMost(TestWorker.TIMEOUT)
				.untilAsserted(() -> assertThat(this.recorder.events)
					.contains("revoked tasks.ok " + result.getId() + " expired=true terminated=false"));
			assertThat(this.recorder.events).noneMatch((event) -> event.startsWith("started"));
			// As Celery: expired on arrival is revoked, never received.
			assertThat(this.recorder.events).noneMatch((event) -> event.startsWith("received"));
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void failingObserverNeitherStopsTheTaskNorTheOtherObservers() {
		WorkerObserver failing = new WorkerObserver() {

			@Override
			public void onStarted(TaskRequest request) {
				throw new IllegalStateException("observer bug");
			}

		};
		WorkerContainer worker = start(failing, this.recorder);
		try {
			AsyncResult result = this.harness.send("tasks.ok");
			assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("done");
			await().atMost(TestWorker.TIMEOUT)
				.untilAsserted(() -> assertThat(this.recorder.events).contains("started tasks.ok " + result.getId()));
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void observersAreListedInRegistrationOrder() {
		WorkerObserver first = new WorkerObserver() {
		};
		WorkerContainer worker = new WorkerContainer(this.harness.broker, this.harness.backend, this.harness.registry,
				this.harness.options(PoolType.THREADS, 1));
		worker.addObserver(first);
		worker.addObserver(this.recorder);
		assertThat(worker.getObservers()).containsExactly(first, this.recorder);
	}

	static final class Recorder implements WorkerObserver {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void onReceived(TaskRequest request) {
			this.events.add("received " + request.getName() + " " + request.getId());
		}

		@Override
		public void onRejected(Delivery delivery, @Nullable TaskMessage message, String reason) {
			String task = (message != null) ? message.taskName() + " " + message.id() : "<undecodable>";
			this.events.add("rejected " + task + " " + reason);
		}

		@Override
		public void onStarted(TaskRequest request) {
			this.events.add("started " + request.getName() + " " + request.getId());
		}

		@Override
		public void onSucceeded(TaskRequest request, @Nullable Object result, Duration runtime) {
			this.events.add("succeeded " + request.getName() + " " + request.getId() + " " + result);
		}

		@Override
		public void onFailed(TaskRequest request, ExceptionInfo exception, @Nullable String traceback,
				Duration runtime) {
			this.events.add("failed " + request.getName() + " " + request.getId() + " " + exception.type() + ": "
					+ exception.message() + " traceback=" + (traceback != null));
		}

		@Override
		public void onRevoked(TaskRequest request, boolean expired, boolean terminated) {
			this.events.add("revoked " + request.getName() + " " + request.getId() + " expired=" + expired
					+ " terminated=" + terminated);
		}

	}

}
