package io.celery4j.worker.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Pools by type: sizes, thread kinds, draining unstarted work, shutdown.
 */
class TaskPoolsTests {

	@Test
	void soloPoolHasOneThreadWhateverTheConcurrency() throws InterruptedException {
		TaskPool pool = TaskPools.create(PoolType.SOLO, 8, "solo-");
		assertThat(pool.getSize()).isEqualTo(1);
		assertThat(pool.shutdown(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void threadsPoolRunsWorkOnNamedPlatformThreads() throws Exception {
		TaskPool pool = TaskPools.create(PoolType.THREADS, 2, "threads-");
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		pool.execute(() -> thread.complete(Thread.currentThread()));
		assertThat(thread.get(5, TimeUnit.SECONDS).getName()).startsWith("threads-");
		assertThat(isVirtual(thread.get())).isFalse();
		assertThat(pool.shutdown(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void virtualPoolRunsWorkOnVirtualThreads() throws Exception {
		assumeThat(TaskPools.virtualThreadsAvailable()).as("virtual threads need Java 21").isTrue();
		TaskPool pool = TaskPools.create(PoolType.VIRTUAL, 4, "virtual-");
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		pool.execute(() -> thread.complete(Thread.currentThread()));
		assertThat(thread.get(5, TimeUnit.SECONDS).getName()).startsWith("virtual-");
		assertThat(isVirtual(thread.get())).isTrue();
		assertThat(pool.getSize()).isEqualTo(4);
		assertThat(pool.shutdown(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void virtualPoolNamesTheJavaVersionItNeedsOnOlderJvms() {
		assumeThat(TaskPools.virtualThreadsAvailable()).as("running Java 21 or later").isFalse();
		assertThatIllegalStateException().isThrownBy(() -> TaskPools.create(PoolType.VIRTUAL, 4, "virtual-"))
			.withMessageContaining("Java 21")
			.withMessageContaining("'threads'");
	}

	@Test
	void drainPendingTakesBackWorkNotStarted() throws InterruptedException {
		TaskPool pool = TaskPools.create(PoolType.THREADS, 1, "drain-");
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		pool.execute(() -> {
			started.countDown();
			awaitQuietly(release);
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		Runnable second = () -> {
		};
		Runnable third = () -> {
		};
		pool.execute(second);
		pool.execute(third);
		assertThat(pool.drainPending()).isEqualTo(List.of(second, third));
		assertThat(pool.getBusy()).isEqualTo(1);
		release.countDown();
		assertThat(pool.shutdown(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void shutdownReportsThreadsStillBusyAfterTheTimeout() throws InterruptedException {
		TaskPool pool = TaskPools.create(PoolType.THREADS, 1, "busy-");
		CountDownLatch release = new CountDownLatch(1);
		pool.execute(() -> awaitQuietly(release));
		assertThat(pool.shutdown(Duration.ofMillis(100))).isFalse();
		release.countDown();
		assertThat(pool.shutdown(Duration.ofSeconds(5))).isTrue();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
		if (!TaskPools.virtualThreadsAvailable()) {
			return false;
		}
		return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

}
