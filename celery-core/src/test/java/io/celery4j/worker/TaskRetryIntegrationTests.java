package io.celery4j.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.RetryOptions;
import io.celery4j.task.RetryPolicy;
import io.celery4j.task.TaskOptions;
import io.celery4j.testsupport.ForwardingResultBackend;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Retries on a real Redis broker and backend: the worker sends the retry message, stores
 * RETRY, and the retry runs under the same id until it succeeds or passes its limit.
 */
class TaskRetryIntegrationTests {

	private final TestWorker harness = TestWorker.onRedis(8, 9);

	/**
	 * RETRY records as the worker stores them. Read when the store happens: the retry
	 * message is sent right after, so the retry's own outcome may replace the record
	 * before observers hear of the retry.
	 */
	private final List<TaskMeta> retryRecords = new CopyOnWriteArrayList<>();

	/** Ids of the retries observers heard of (told after the retry message is sent). */
	private final List<String> retriesObserved = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	TaskRetryIntegrationTests() {
		this.harness.task("tasks.retry_until", (context) -> {
			int n = ((Number) context.getArgs().get(0)).intValue();
			if (context.getRetries() < n) {
				throw context.retry(RetryOptions.defaults().countdown(Duration.ofMillis(100)));
			}
			return context.getRetries();
		});
		this.harness.task("tasks.retry_exc", options(retryPolicy(1, List.of())), (context) -> {
			throw context
				.retry(RetryOptions.defaults().countdown(Duration.ZERO).exc(new IllegalStateException("transient")));
		});
		this.harness.task("tasks.retry_plain", options(retryPolicy(1, List.of())), (context) -> {
			throw context.retry(RetryOptions.defaults().countdown(Duration.ZERO));
		});
		this.harness.task("tasks.flaky", options(retryPolicy(2, List.of(IllegalStateException.class))), (context) -> {
			if (run(context.getId()) <= 2) {
				throw new IllegalStateException("flaky " + context.getRetries());
			}
			return "done after " + context.getRetries();
		});
	}

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void retriedTaskStoresRetryThenSucceedsUnderTheSameId() {
		start();
		AsyncResult result = this.harness.send("tasks.retry_until", 2);
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(2);
		awaitRetriesObserved(result, 2);
		assertThat(this.retryRecords).hasSize(2).allSatisfy((meta) -> {
			assertThat(meta.taskId()).isEqualTo(result.getId());
			assertThat(meta.status()).isEqualTo(TaskState.RETRY);
			assertThat(meta.result()).isNull();
			assertThat(meta.traceback()).endsWith("celery.exceptions.Retry: Retry in 0.1s\n");
			assertThat(meta.dateDone()).isNull();
		});
		assertThat(result.info().parentId()).as("parent of the last run is the task itself").isEqualTo(result.getId());
	}

	@Test
	void retryPastTheLimitStoresFailureWithTheCause() {
		start();
		AsyncResult result = this.harness.send("tasks.retry_exc");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("RuntimeError").contains("transient"));
		awaitRetriesObserved(result, 1);
		assertThat(this.retryRecords).singleElement().satisfies((meta) -> {
			assertThat(ExceptionInfo.fromValue(meta.result()))
				.isEqualTo(new ExceptionInfo("RuntimeError", List.of("transient"), "builtins"));
			assertThat(meta.traceback()).endsWith("Retry in 0s: RuntimeError('transient')\n");
		});
	}

	@Test
	void retryPastTheLimitWithoutCauseStoresMaxRetriesExceededError() {
		start();
		AsyncResult result = this.harness.send("tasks.retry_plain", 7);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT));
		ExceptionInfo failure = result.info().exception();
		assertThat(failure.type()).isEqualTo("MaxRetriesExceededError");
		assertThat(failure.module()).isEqualTo("celery.exceptions");
		assertThat(failure.message())
			.isEqualTo("Can't retry tasks.retry_plain[" + result.getId() + "] args:(7,) kwargs:{}");
	}

	@Test
	void autoretryForRetriesWithBackoffUntilTheTaskSucceeds() {
		start();
		AsyncResult result = this.harness.send("tasks.flaky");
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("done after 2");
		awaitRetriesObserved(result, 2);
		assertThat(this.retryRecords).hasSize(2)
			.allSatisfy((meta) -> assertThat(ExceptionInfo.fromValue(meta.result()).type()).isEqualTo("RuntimeError"));
	}

	private void start() {
		this.harness.start(this.harness.options(TestPools.configured(), 2), RetryRecordingBackend::new,
				new WorkerObserver() {
					@Override
					public void onRetried(TaskRequest request, ExceptionInfo reason, @Nullable String traceback) {
						TaskRetryIntegrationTests.this.retriesObserved.add(request.getId());
					}
				});
	}

	/**
	 * Wait until observers heard of each retry: they are told after the retry message is
	 * sent, so the last retry can finish before they hear of the one before.
	 */
	private void awaitRetriesObserved(AsyncResult result, int count) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.retriesObserved).hasSize(count)
				.allSatisfy((id) -> assertThat(id).isEqualTo(result.getId())));
	}

	private int run(String id) {
		return this.runs.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
	}

	static TaskOptions options(RetryPolicy retry) {
		return TaskOptions.defaults().withRetry(retry);
	}

	static RetryPolicy retryPolicy(int maxRetries, List<Class<? extends Throwable>> autoretryFor) {
		return new RetryPolicy(maxRetries, Duration.ofSeconds(180), autoretryFor, Duration.ofSeconds(1),
				Duration.ofSeconds(1), true);
	}

	/**
	 * The harness's backend, noting every RETRY record the worker stores.
	 */
	private final class RetryRecordingBackend extends ForwardingResultBackend {

		RetryRecordingBackend(ResultBackend delegate) {
			super(delegate);
		}

		@Override
		public void store(TaskMeta meta) {
			super.store(meta);
			if (TaskState.RETRY.equals(meta.status())) {
				TaskRetryIntegrationTests.this.retryRecords.add(meta);
			}
		}

	}

}
