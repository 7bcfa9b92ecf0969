package io.celery4j.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.celery4j.client.AsyncResult;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskOptions;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate limits per task per worker, with Celery's one-token bucket: requests start no
 * closer than one interval apart, and waiting ones hold no pool thread.
 */
class RateLimitWorkerTests {

	private final TestWorker harness = TestWorker.onMemory();

	private final List<Long> starts = Collections.synchronizedList(new ArrayList<>());

	RateLimitWorkerTests() {
		this.harness.task("tasks.limited", options("4/s"), (context) -> {
			this.starts.add(System.nanoTime());
			return "ok";
		});
		this.harness.task("tasks.rare", options("1/h"), (context) -> "rare");
		this.harness.task("tasks.free", (context) -> "free");
	}

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void startsRateLimitedTasksNoCloserThanTheRateAllows() {
		this.harness.start(this.harness.options(PoolType.THREADS, 4));
		List<AsyncResult> results = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			results.add(this.harness.send("tasks.limited"));
		}
		results.forEach((result) -> assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("ok"));
		List<Long> sorted = new ArrayList<>(this.starts);
		Collections.sort(sorted);
		for (int i = 1; i < sorted.size(); i++) {
			// 4/s means one token every 250 ms; allow for the timer's granularity.
			assertThat(sorted.get(i) - sorted.get(i - 1)).isGreaterThan(200_000_000L);
		}
	}

	@Test
	void waitingRequestsHoldNoPoolThread() {
		WorkerContainer worker = this.harness.start(this.harness.options(PoolType.THREADS, 1));
		AsyncResult first = this.harness.send("tasks.rare");
		AsyncResult second = this.harness.send("tasks.rare");
		assertThat(first.get(TestWorker.TIMEOUT)).isEqualTo("rare");
		assertThat(this.harness.send("tasks.free").get(TestWorker.TIMEOUT)).isEqualTo("free");
		assertThat(second.ready()).isFalse();
		assertThat(worker.getState().getScheduled()).extracting(TaskRequest::getId).containsExactly(second.getId());
	}

	@Test
	void stopGivesWaitingRequestsBack() throws InterruptedException {
		WorkerContainer worker = this.harness.start(this.harness.options(PoolType.THREADS, 1));
		this.harness.send("tasks.rare").get(TestWorker.TIMEOUT);
		AsyncResult waiting = this.harness.send("tasks.rare");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getScheduled().size() == 1);
		TestWorker.stopAndWait(worker);
		assertThat(this.harness.queueLength()).isEqualTo(1);
		assertThat(waiting.ready()).isFalse();
	}

	@Test
	void changedRateLimitTakesEffectForWaitingAndNewRequests() {
		WorkerContainer worker = this.harness.start(this.harness.options(PoolType.THREADS, 1));
		this.harness.send("tasks.rare").get(TestWorker.TIMEOUT);
		AsyncResult waiting = this.harness.send("tasks.rare");
		await().atMost(TestWorker.TIMEOUT).until(() -> worker.getState().getScheduled().size() == 1);
		// What the rate_limit remote control command does.
		worker.getRegistry()
			.updateOptions("tasks.rare",
					(options) -> options.withRateLimit(RateLimit.parse("100/s", RateLimit.Scope.WORKER)));
		AsyncResult next = this.harness.send("tasks.rare");
		assertThat(next.get(TestWorker.TIMEOUT)).isEqualTo("rare");
		assertThat(waiting.get(TestWorker.TIMEOUT)).isEqualTo("rare");
	}

	private static TaskOptions options(String rateLimit) {
		return TaskOptions.defaults().withRateLimit(RateLimit.parse(rateLimit, RateLimit.Scope.WORKER));
	}

}
