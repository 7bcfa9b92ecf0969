package io.celery4j.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.TaskOptions;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Time limits the Java client sets per call ({@code SendOptions.timeLimit} and
 * {@code softTimeLimit}, Celery's {@code apply_async(time_limit=...,
 * soft_time_limit=...)}) travel in the {@code timelimit} header and the Java worker
 * enforces them on tasks that declare no limit of their own, or a longer one.
 */
class ClientTimeLimitTests {

	private final TestWorker harness = TestWorker.onMemory();

	/** Tasks fail on purpose here: keep their error lines off the console. */
	private final LogCapture taskErrors = LogCapture.of(Level.ERROR, TaskTracer.class, TimeLimitSupervisor.class);

	ClientTimeLimitTests() {
		this.harness.task("tasks.sleepy", (context) -> {
			Thread.sleep(10_000);
			return "woke up";
		});
		this.harness.task("tasks.patient", TaskOptions.defaults().withTimeLimits(Duration.ofMinutes(5), null),
				(context) -> {
					// Ignores interrupts; ends on its own a while after the limit sent so
					// the test leaves no spinning thread behind.
					long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
					long spins = 0;
					while (System.nanoTime() < end) {
						spins++;
					}
					return spins;
				});
	}

	@AfterEach
	void close() {
		this.harness.close();
		this.taskErrors.close();
	}

	@Test
	void softTimeLimitSentByTheClientFailsTheTaskWithSoftTimeLimitExceeded() {
		this.harness.start(this.harness.options(PoolType.THREADS, 1));
		AsyncResult result = this.harness.send("tasks.sleepy",
				SendOptions.defaults().softTimeLimit(Duration.ofMillis(300)));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
				assertThat(ex.getException().module()).isEqualTo("celery.exceptions");
			});
	}

	@Test
	void hardTimeLimitSentByTheClientOverridesTheTasksOwnAndStoresTimeLimitExceeded() {
		this.harness.start(this.harness.options(PoolType.THREADS, 1));
		AsyncResult result = this.harness.send("tasks.patient",
				SendOptions.defaults().timeLimit(Duration.ofMillis(500)));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("TimeLimitExceeded");
				assertThat(ex.getException().module()).isEqualTo("celery.exceptions");
				assertThat(ex.getException().arguments()).containsExactly(0.5);
			});
	}

}
