package io.celery4j.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.client.SendOptions;
import io.celery4j.protocol.Json;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The state db keeps revoked ids and the clock in a JSON file across worker restarts
 * (Celery's {@code --statedb}).
 */
class WorkerStateDbTests {

	private final TestWorker harness = TestWorker.onMemory();

	private final AtomicInteger runs = new AtomicInteger();

	@TempDir
	private Path directory;

	WorkerStateDbTests() {
		this.harness.task("tasks.count", (context) -> this.runs.incrementAndGet());
	}

	@AfterEach
	void close() {
		this.harness.close();
	}

	private WorkerContainer start(WorkerStateDb stateDb) {
		WorkerContainer worker = new WorkerContainer(this.harness.broker, this.harness.backend, this.harness.registry,
				this.harness.options(PoolType.THREADS, 1));
		worker.addExtension(stateDb);
		worker.start();
		return worker;
	}

	@Test
	void revokedIdsSavedOnStopAreHonouredAfterARestart() throws IOException {
		Path file = this.directory.resolve("worker.state");
		WorkerContainer first = start(new WorkerStateDb(file));
		String revoked = UUID.randomUUID().toString();
		first.revoke(List.of(revoked), false, 0);
		first.stop();
		Map<?, ?> saved = (Map<?, ?>) Json.read(Files.readString(file, StandardCharsets.UTF_8));
		assertThat(saved.get("format")).isEqualTo("celery4j-state-db");
		assertThat(saved.get("node")).isEqualTo(first.getOptions().nodeName());
		assertThat((List<?>) saved.get("revoked")).singleElement().satisfies((entry) -> {
			assertThat(((Map<?, ?>) entry).get("id")).isEqualTo(revoked);
			assertThat(((Map<?, ?>) entry).get("expires")).isInstanceOf(String.class);
		});

		WorkerContainer second = start(new WorkerStateDb(file));
		try {
			assertThat(second.getRevoked().ids()).containsExactly(revoked);
			assertThat(second.getClock().value()).isGreaterThan(((Number) saved.get("clock")).longValue());
			this.harness.send("tasks.count", SendOptions.defaults().taskId(revoked));
			TaskMeta meta = await().atMost(TestWorker.TIMEOUT)
				.until(() -> this.harness.backend.get(revoked), TaskMeta::isReady);
			assertThat(meta.status()).isEqualTo(TaskState.REVOKED);
			assertThat(this.harness.send("tasks.count").get(TestWorker.TIMEOUT)).isEqualTo(1);
		}
		finally {
			second.stop();
		}
	}

	@Test
	void savesPeriodicallyWhileRunning() {
		Path file = this.directory.resolve("periodic.state");
		WorkerContainer worker = start(new WorkerStateDb(file, Duration.ofMillis(100)));
		try {
			String revoked = UUID.randomUUID().toString();
			worker.revoke(List.of(revoked), false, 0);
			await().atMost(TestWorker.TIMEOUT)
				.until(() -> Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(revoked));
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void loadsOnlyIdsThatHaveNotExpired() throws IOException {
		Path file = this.directory.resolve("expiry.state");
		Files.writeString(file,
				Json.write(Map.of("format", "celery4j-state-db", "version", 1, "clock", 7, "revoked",
						List.of(Map.of("id", "old", "expires", Instant.now().minusSeconds(1).toString()),
								Map.of("id", "fresh", "expires", Instant.now().plusSeconds(600).toString())))));
		WorkerContainer worker = start(new WorkerStateDb(file));
		try {
			assertThat(worker.getRevoked().ids()).containsExactly("fresh");
			// Remembered for the time it had left, not for three hours more.
			assertThat(worker.getRevoked().expiries().get("fresh")).isBefore(Instant.now().plusSeconds(601));
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void checkNamesAMissingDirectory() {
		Path file = this.directory.resolve("missing").resolve("worker.state");
		assertThatIllegalArgumentException().isThrownBy(() -> new WorkerStateDb(file).check())
			.withMessageContaining(file.toString())
			.withMessageContaining("does not exist");
	}

	@Test
	void checkNamesAFileThatIsNotAStateDb() throws IOException {
		Path file = this.directory.resolve("shelve.db");
		Files.write(file, new byte[] { (byte) 0x80, 3, 'x' });
		assertThatIllegalArgumentException().isThrownBy(() -> new WorkerStateDb(file).check())
			.withMessageContaining(file.toString())
			.withMessageContaining("not usable");
	}

	@Test
	void checkNamesADirectory() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WorkerStateDb(this.directory).check())
			.withMessageContaining("is a directory");
	}

	@Test
	void pathExpandsNodeNamePlaceholdersAsCelery() {
		assertThat(WorkerStateDb.path("/var/run/celery/%n.state", "w1@host.example.com"))
			.isEqualTo(Path.of("/var/run/celery/w1.state"));
		assertThat(WorkerStateDb.path("/tmp/%h-%d-%p", "w1@host.example.com"))
			.isEqualTo(Path.of("/tmp/host.example.com-example.com-w1@host.example.com"));
	}

}
