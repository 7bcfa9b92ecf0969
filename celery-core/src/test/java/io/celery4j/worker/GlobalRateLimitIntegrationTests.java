package io.celery4j.worker;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celery4j.client.AsyncResult;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskOptions;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rate limit with global scope is one bucket in Redis for every worker: two workers on
 * the same queue together start the task no faster than the rate, where per-worker limits
 * would let each start it at the full rate.
 */
class GlobalRateLimitIntegrationTests {

	private static final int TASKS = 6;

	private final TestWorker harness = TestWorker.onRedis(8, 9);

	// Unique per run: the bucket key is named after the task.
	private final String taskName = "tasks.partner_api_" + UUID.randomUUID().toString().substring(0, 8);

	private final List<Start> starts = new CopyOnWriteArrayList<>();

	GlobalRateLimitIntegrationTests() {
		TaskOptions options = TaskOptions.defaults().withRateLimit(RateLimit.parse("2/s", RateLimit.Scope.GLOBAL));
		this.harness.task(this.taskName, options, (context) -> {
			this.starts.add(new Start(System.nanoTime(), context.getHostname()));
			return context.getHostname();
		});
	}

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void twoWorkersTogetherStartTheTaskNoFasterThanTheSharedRate() {
		List<AsyncResult> results = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			results.add(this.harness.send(this.taskName));
		}
		// One slot and a prefetch of one each: both workers hold a request at a time.
		startWorker("first");
		startWorker("second");
		results.forEach((result) -> result.get(TestWorker.TIMEOUT.multipliedBy(2)));
		assertThat(this.starts).hasSize(TASKS);
		assertThat(this.starts).extracting(Start::worker)
			.as("both workers ran the task")
			.contains("first-" + this.harness.queue + "@localhost", "second-" + this.harness.queue + "@localhost");
		List<Long> times = new ArrayList<>(this.starts.stream().map(Start::nanos).toList());
		Collections.sort(times);
		// 2/s shared: six starts span at least 2.5 s. Per-worker buckets would let the
		// two workers finish in about 1 s; the margin absorbs late starts under load.
		assertThat(Duration.ofNanos(times.get(TASKS - 1) - times.get(0))).isGreaterThan(Duration.ofMillis(1800));
	}

	private void startWorker(String name) {
		this.harness.start(new WorkerOptions(name + "-" + this.harness.queue + "@localhost", 1, PoolType.THREADS,
				List.of(this.harness.queue), 1, Duration.ofSeconds(10), Duration.ofHours(1), ZoneOffset.UTC));
	}

	private record Start(long nanos, String worker) {

	}

}
