package io.celery4j.backend.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskMetas;
import io.celery4j.backend.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class MemoryResultBackendTests {

	private static final Duration LONG = Duration.ofSeconds(60);

	private final MemoryResultBackend backend = new MemoryResultBackend(Duration.ofDays(1));

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@AfterEach
	void shutdown() throws InterruptedException {
		this.backend.close();
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void readsUnknownTaskAsPending() {
		TaskMeta meta = this.backend.get("nope");
		assertThat(meta.status()).isEqualTo(TaskState.PENDING);
		assertThat(meta.taskId()).isEqualTo("nope");
		assertThat(meta.result()).isNull();
	}

	@Test
	void readsWhatWasStored() {
		TaskMeta success = TaskMetas.success("t1", 5);
		this.backend.store(success);
		assertThat(this.backend.get("t1")).isEqualTo(success);
	}

	@Test
	void neverOverwritesSuccess() {
		this.backend.store(TaskMetas.success("t1", 5));
		this.backend.store(TaskMetas.failure("t1", "ValueError", "late duplicate"));
		assertThat(this.backend.get("t1").status()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.backend.get("t1").result()).isEqualTo(5);
	}

	@Test
	void overwritesStatesOtherThanSuccess() {
		this.backend.store(TaskMetas.started("t1"));
		this.backend.store(TaskMetas.failure("t1", "ValueError", "first run"));
		this.backend.store(TaskMetas.success("t1", 7));
		assertThat(this.backend.get("t1").result()).isEqualTo(7);
	}

	@Test
	void awaitReturnsAtOnceWhenTheResultIsReady() throws InterruptedException {
		this.backend.store(TaskMetas.success("t1", 5));
		assertThat(this.backend.await("t1", LONG).result()).isEqualTo(5);
		assertThat(this.backend.waiting("t1")).isZero();
	}

	@Test
	void awaitWakesWhenAnotherThreadStoresAReadyState() throws Exception {
		Future<TaskMeta> waiter = this.executor.submit(() -> this.backend.await("t1", LONG));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.waiting("t1") == 1);
		this.backend.store(TaskMetas.started("t1"));
		this.backend.store(TaskMetas.success("t1", 5));
		// Far less than the waiter's own timeout: it was woken, not timed out.
		TaskMeta meta = waiter.get(10, TimeUnit.SECONDS);
		assertThat(meta.status()).isEqualTo(TaskState.SUCCESS);
		assertThat(meta.result()).isEqualTo(5);
		assertThat(this.backend.waiting("t1")).isZero();
	}

	@Test
	void acceptsAnEndlessTimeout() throws Exception {
		Future<TaskMeta> waiter = this.executor
			.submit(() -> this.backend.await("t1", Duration.ofSeconds(Long.MAX_VALUE)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.waiting("t1") == 1);
		this.backend.store(TaskMetas.success("t1", 5));
		assertThat(waiter.get(10, TimeUnit.SECONDS).result()).isEqualTo(5);
	}

	@Test
	void awaitReturnsTheCurrentRecordWhenTheTimeoutPasses() throws InterruptedException {
		this.backend.store(TaskMetas.started("t1"));
		TaskMeta meta = this.backend.await("t1", Duration.ofMillis(50));
		assertThat(meta.status()).isEqualTo(TaskState.STARTED);
		assertThat(this.backend.await("t2", Duration.ofMillis(50)).status()).isEqualTo(TaskState.PENDING);
		assertThat(this.backend.waiting("t1")).isZero();
	}

	@Test
	void wakesEveryWaiter() throws Exception {
		List<String> ids = new ArrayList<>();
		List<Future<TaskMeta>> waiters = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			String id = UUID.randomUUID().toString();
			ids.add(id);
			for (int j = 0; j < 3; j++) {
				waiters.add(this.executor.submit(() -> this.backend.await(id, LONG)));
			}
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ids.stream().allMatch((id) -> this.backend.waiting(id) == 3));
		ids.forEach((id) -> this.backend.store(TaskMetas.success(id, id)));
		for (int i = 0; i < waiters.size(); i++) {
			assertThat(waiters.get(i).get(10, TimeUnit.SECONDS).result()).isEqualTo(ids.get(i / 3));
		}
	}

	@Test
	void forgetsRecords() {
		this.backend.store(TaskMetas.success("t1", 5));
		this.backend.forget("t1");
		assertThat(this.backend.get("t1").status()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void dropsRecordsAfterTheirExpiry() {
		try (MemoryResultBackend expiring = new MemoryResultBackend(Duration.ofMillis(100))) {
			expiring.store(TaskMetas.success("t1", 5));
			assertThat(expiring.get("t1").status()).isEqualTo(TaskState.SUCCESS);
			await().atMost(Duration.ofSeconds(10)).until(() -> expiring.get("t1").status().equals(TaskState.PENDING));
		}
	}

	@Test
	void letsAnExpiredSuccessBeStoredAgain() {
		try (MemoryResultBackend expiring = new MemoryResultBackend(Duration.ofMillis(100))) {
			expiring.store(TaskMetas.success("t1", 5));
			await().atMost(Duration.ofSeconds(10)).until(() -> expiring.get("t1").status().equals(TaskState.PENDING));
			expiring.store(TaskMetas.failure("t1", "ValueError", "second run"));
			assertThat(expiring.get("t1").status()).isEqualTo(TaskState.FAILURE);
		}
	}

	@Test
	void purgesExpiredRecordsNobodyReads() {
		try (MemoryResultBackend expiring = new MemoryResultBackend(Duration.ofMillis(100))) {
			for (int i = 0; i < 50; i++) {
				expiring.store(TaskMetas.success("old-" + i, i));
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				expiring.store(TaskMetas.success("new", 1));
				assertThat(expiring.size()).isEqualTo(1);
			});
		}
	}

	@Test
	void keepsRecordsWhenExpiryIsZero() {
		try (MemoryResultBackend forever = new MemoryResultBackend(Duration.ZERO)) {
			forever.store(TaskMetas.success("t1", 5));
			forever.store(TaskMetas.success("t2", 6));
			assertThat(forever.size()).isEqualTo(2);
			assertThat(forever.get("t1").result()).isEqualTo(5);
		}
	}

	@Test
	void closingFailsWaitersInsteadOfLeavingThemHanging() throws Exception {
		Future<TaskMeta> waiter = this.executor.submit(() -> this.backend.await("t1", LONG));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.waiting("t1") == 1);
		this.backend.close();
		assertThat(waiter).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("t1")
			.withMessageContaining("closed");
	}

	@Test
	void rejectsANegativeExpiry() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryResultBackend(Duration.ofSeconds(-1)))
			.withMessageContaining("expires");
	}

	@Test
	void refusesToStoreWhenClosed() {
		this.backend.close();
		assertThatIllegalStateException().isThrownBy(() -> this.backend.store(TaskMetas.success("t1", 5)))
			.withMessageContaining("memory://");
	}

}
