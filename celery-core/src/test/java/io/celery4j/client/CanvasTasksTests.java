package io.celery4j.client;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.backend.memory.MemoryResultBackend;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.canvas.Signature;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CanvasTasks}: a Java worker runs {@code celery.map},
 * {@code celery.starmap} and {@code celery.chunks} as Celery's worker does, on the
 * {@code memory://} transport.
 */
class CanvasTasksTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final String queue = "canvas-tasks-" + UUID.randomUUID();

	private final MemoryBroker broker = new MemoryBroker();

	private final MemoryResultBackend backend = new MemoryResultBackend(Duration.ofHours(1));

	private final TaskRegistry registry = new TaskRegistry();

	private final CeleryClient client = new CeleryClient(this.broker, this.backend,
			new TaskRouter(Map.of(), this.registry, this.queue), ZoneOffset.UTC);

	private final CanvasClient canvas = new CanvasClient(this.client);

	private WorkerContainer worker;

	@BeforeEach
	void startWorker() {
		this.registry
			.register(new TaskDefinition("tasks.add", (context) -> ((Number) context.getArgs().get(0)).intValue()
					+ ((Number) context.getArgs().get(1)).intValue(), TaskOptions.defaults(), "test"));
		this.registry.register(new TaskDefinition("tasks.square", (context) -> {
			int value = ((Number) context.getArgs().get(0)).intValue();
			return value * value;
		}, TaskOptions.defaults(), "test"));
		CanvasTasks.register(this.registry, this.client);
		this.worker = new WorkerContainer(this.broker, this.backend, this.registry,
				new WorkerOptions("canvas-" + UUID.randomUUID() + "@test", 2, PoolType.THREADS, List.of(this.queue), 4,
						Duration.ofSeconds(5), Duration.ofHours(1), ZoneOffset.UTC));
		this.worker.start();
	}

	@AfterEach
	void stop() {
		this.worker.stop();
		this.broker.close();
		this.backend.close();
	}

	@Test
	void registersMapStarmapAndChunksOnce() {
		CanvasTasks.register(this.registry, this.client);
		assertThat(this.registry.find("celery.map")).isNotNull();
		assertThat(this.registry.find("celery.starmap")).isNotNull();
		assertThat(this.registry.find("celery.chunks")).isNotNull();
	}

	@Test
	void mapCallsTheTaskOncePerItemInOrder() {
		assertThat(this.canvas.apply(Signature.of("tasks.square").map(List.of(1, 2, 3))).get(TIMEOUT))
			.isEqualTo(List.of(1, 4, 9));
	}

	@Test
	void starmapCallsTheTaskWithEachArgumentList() {
		assertThat(this.canvas.apply(Signature.of("tasks.add").starmap(List.of(List.of(1, 2), List.of(3, 4))))
			.get(TIMEOUT)).isEqualTo(List.of(3, 7));
	}

	@Test
	void chunksRunAsAGroupOfStarmaps() {
		GroupResult chunks = (GroupResult) this.canvas
			.apply(Signature.of("tasks.add").chunks(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6)), 2));
		assertThat(chunks.join(TIMEOUT)).containsExactly(List.of(3, 7), List.of(11));
	}

	@Test
	void aChunksMessageSentByAnotherClientSendsTheGroupFromTheWorker() {
		Signature chunks = Signature.of("tasks.add").chunks(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6)), 2);
		AsyncResult sent = this.client.send("celery.chunks", List.of(), chunks.kwargs(), SendOptions.defaults());
		GroupResult group = (GroupResult) ResultTuples.fromTuple(sent.get(TIMEOUT), this.backend, "chunks result");
		assertThat(group.join(TIMEOUT)).containsExactly(List.of(3, 7), List.of(11));
	}

	@Test
	void mapOfATaskThisWorkerDoesNotHaveFailsWithNotRegistered() {
		AsyncResult result = this.canvas.apply(Signature.of("tasks.nope").map(List.of(1)));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.withMessageContaining("tasks.nope");
	}

	@Test
	void starmapOfAnItemThatIsNotAListFailsNamingTheItem() {
		AsyncResult result = this.client.send("celery.starmap", List.of(),
				Map.of("task", Signature.of("tasks.add").toJson(), "it", List.of(List.of(1, 2), 3)),
				SendOptions.defaults());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.withMessageContaining("Item 1");
	}

}
