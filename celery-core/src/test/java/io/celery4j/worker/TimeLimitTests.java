package io.celery4j.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.celery4j.client.AsyncResult;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.TaskOptions;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Soft and hard time limits: the soft limit interrupts the task, which fails with
 * SoftTimeLimitExceeded unless it catches the interrupt; the hard limit stores
 * TimeLimitExceeded and replaces the pool thread, even for a task that ignores
 * interrupts.
 */
class TimeLimitTests {

	private static final TaskOptions SOFT = TaskOptions.defaults().withTimeLimits(null, Duration.ofMillis(300));

	private static final TaskOptions HARD = TaskOptions.defaults().withTimeLimits(Duration.ofMillis(500), null);

	private final TestWorker harness = TestWorker.onMemory();

	TimeLimitTests() {
		this.harness.task("tasks.sleepy", SOFT, (context) -> {
			Thread.sleep(10_000);
			return "woke up";
		});
		this.harness.task("tasks.tidy", SOFT, (context) -> {
			try {
				Thread.sleep(10_000);
				return "woke up";
			}
			catch (InterruptedException ex) {
				return "cleaned up";
			}
		});
		this.harness.task("tasks.spin", HARD, (context) -> {
			// Ignores interrupts; ends on its own a while after the hard limit so the
			// test leaves no spinning thread behind.
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
			long spins = 0;
			while (System.nanoTime() < end) {
				spins++;
			}
			return spins;
		});
		this.harness.task("tasks.add", (context) -> 2 + 3);
	}

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void softTimeLimitFailsATaskThatDoesNotCatchIt() {
		this.harness.start(this.harness.options(PoolType.THREADS, 1));
		AsyncResult result = this.harness.send("tasks.sleepy");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
				assertThat(ex.getException().module()).isEqualTo("celery.exceptions");
			});
	}

	@Test
	void taskThatCatchesTheSoftTimeLimitReturnsItsValue() {
		this.harness.start(this.harness.options(PoolType.THREADS, 1));
		assertThat(this.harness.send("tasks.tidy").get(TestWorker.TIMEOUT)).isEqualTo("cleaned up");
	}

	@Test
	void hardTimeLimitFailsATaskThatIgnoresInterruptsAndKeepsThePoolSize() {
		WorkerContainer worker = this.harness.start(this.harness.options(PoolType.THREADS, 1));
		AsyncResult spin = this.harness.send("tasks.spin");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> spin.get(TestWorker.TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("TimeLimitExceeded");
				assertThat(ex.getException().module()).isEqualTo("celery.exceptions");
				assertThat(ex.getException().arguments()).containsExactly(0.5);
			});
		// The spinning thread still runs: only a replacement thread can run this.
		assertThat(this.harness.send("tasks.add").get(TestWorker.TIMEOUT)).isEqualTo(5);
		// The result is out before the pool thread leaves the task.
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> assertThat(worker.getState().getActive()).isEmpty());
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> assertThat(worker.getPool().getBusy()).isZero());
		assertThat(worker.getPrefetched()).isZero();
	}

	@Test
	void hardTimeLimitFreesTheSoloPool() {
		this.harness.start(this.harness.options(PoolType.SOLO, 1));
		AsyncResult spin = this.harness.send("tasks.spin");
		AsyncResult add = this.harness.send("tasks.add");
		assertThat(add.get(TestWorker.TIMEOUT)).isEqualTo(5);
		assertThat(spin.state()).isEqualTo("FAILURE");
	}

}
