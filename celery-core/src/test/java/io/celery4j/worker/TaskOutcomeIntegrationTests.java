package io.celery4j.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import io.celery4j.backend.TaskState;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.RetryOptions;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskHooks;
import io.celery4j.task.TaskOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the worker stores and calls around a run on a real Redis backend: STARTED for
 * track-started tasks, nothing for ignore-result tasks (errors when asked), and the
 * task's hooks, a throwing hook included.
 */
class TaskOutcomeIntegrationTests {

	private final TestWorker harness = TestWorker.onRedis(8, 9);

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final TaskHooks recording = new TaskHooks() {

		@Override
		public void onSuccess(@Nullable Object result, TaskContext context) {
			TaskOutcomeIntegrationTests.this.calls.add("onSuccess " + result);
		}

		@Override
		public void onFailure(Throwable exception, TaskContext context) {
			TaskOutcomeIntegrationTests.this.calls.add("onFailure " + exception.getMessage());
		}

		@Override
		public void onRetry(@Nullable Throwable exception, TaskContext context) {
			TaskOutcomeIntegrationTests.this.calls.add("onRetry " + exception.getMessage());
		}

		@Override
		public void afterReturn(String state, @Nullable Object result, TaskContext context) {
			TaskOutcomeIntegrationTests.this.calls.add("afterReturn " + state);
		}

	};

	private final TaskHooks throwing = new TaskHooks() {

		@Override
		public void onSuccess(@Nullable Object result, TaskContext context) {
			throw new IllegalStateException("hook broken");
		}

	};

	TaskOutcomeIntegrationTests() {
		this.harness.task("tasks.tracked", options(false, false, true, List.of()), (context) -> {
			return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		});
		this.harness.task("tasks.quiet", options(true, false, false, List.of()), (context) -> "unseen");
		this.harness.task("tasks.quiet_failing", options(true, true, false, List.of()), (context) -> {
			throw new IllegalArgumentException("seen anyway");
		});
		this.harness.task("tasks.hooked", options(false, false, false, List.of(this.throwing, this.recording)),
				(context) -> {
					if (context.getArgs().get(0).equals("fail")) {
						throw new IllegalArgumentException("bad");
					}
					if (context.getArgs().get(0).equals("retry") && context.getRetries() == 0) {
						throw context.retry(RetryOptions.defaults().exc(new IllegalStateException("again")));
					}
					return context.getArgs().get(0);
				});
	}

	@AfterEach
	void close() {
		this.release.countDown();
		this.harness.close();
	}

	@Test
	void trackStartedTaskStoresStartedWithPidAndHostnameBeforeRunning() {
		this.harness.start(1);
		AsyncResult result = this.harness.send("tasks.tracked");
		await().atMost(TestWorker.TIMEOUT).until(() -> TaskState.STARTED.equals(result.state()));
		assertThat(result.info().result()).isEqualTo(
				Map.of("pid", (int) ProcessHandle.current().pid(), "hostname", "worker-test@" + NodeNames.hostname()));
		assertThat(result.info().dateDone()).isNull();
		this.release.countDown();
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true);
	}

	@Test
	void taskWithoutTrackStartedGoesFromPendingToSuccess() {
		this.harness.task("tasks.untracked", (context) -> {
			assertThat(this.harness.backend.get(context.getId()).status()).isEqualTo(TaskState.PENDING);
			return "ok";
		});
		this.harness.start(1);
		assertThat(this.harness.send("tasks.untracked").get(TestWorker.TIMEOUT)).isEqualTo("ok");
	}

	@Test
	void ignoreResultTaskStoresNothingButErrorsWhenAsked() {
		this.harness.start(1);
		AsyncResult quiet = this.harness.send("tasks.quiet");
		AsyncResult failing = this.harness.send("tasks.quiet_failing");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failing.get(TestWorker.TIMEOUT))
			.withMessageContaining("seen anyway");
		// Both went through the same single-threaded worker in order.
		assertThat(quiet.state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void hooksAreCalledAfterEachOutcomeAndAThrowingHookChangesNothing() {
		try (LogCapture log = LogCapture.of(Level.ERROR, io.celery4j.task.TaskHookCalls.class)) {
			this.harness.start(1);
			assertThat(this.harness.send("tasks.hooked", "fine").get(TestWorker.TIMEOUT)).isEqualTo("fine");
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> this.harness.send("tasks.hooked", "fail").get(TestWorker.TIMEOUT));
			AsyncResult retried = this.harness.send("tasks.hooked", "retry", io.celery4j.client.SendOptions.defaults());
			await().atMost(TestWorker.TIMEOUT).until(() -> this.calls.contains("onRetry again"));
			assertThat(this.calls).containsExactly("onSuccess fine", "afterReturn SUCCESS", "onFailure bad",
					"afterReturn FAILURE", "onRetry again");
			assertThat(retried.state()).isEqualTo(TaskState.RETRY);
			assertThat(log.events())
				.anySatisfy((event) -> assertThat(event.getFormattedMessage()).startsWith("Task tasks.hooked[")
					.contains("onSuccess raised RuntimeError('hook broken')"));
		}
	}

	private static TaskOptions options(boolean ignoreResult, boolean storeErrors, boolean trackStarted,
			List<TaskHooks> hooks) {
		return new TaskOptions(null, false, ignoreResult).withResults(trackStarted, storeErrors).withHooks(hooks);
	}

}
