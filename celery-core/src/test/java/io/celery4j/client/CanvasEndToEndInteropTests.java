package io.celery4j.client;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.canvas.Chain;
import io.celery4j.canvas.Chord;
import io.celery4j.canvas.Group;
import io.celery4j.canvas.Signature;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.PythonWorker;
import io.celery4j.testsupport.RedisTestServer;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java-built canvases run end to end by a Java worker and a real Python Celery worker
 * together on real Redis: a chain whose steps alternate between them, a chord whose
 * header runs on both, and 1,000-member groups and chords. Each worker consumes a queue
 * of its own; signatures name the queue of the language that runs them. One worker of
 * each language for the class. Skipped without Python Celery unless
 * {@code CELERY_INTEROP=required}.
 */
class CanvasEndToEndInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String JAVA_QUEUE = "canvas-java-" + UUID.randomUUID();

	private static final String PYTHON_QUEUE = "canvas-python-" + UUID.randomUUID();

	private static Broker broker;

	private static ResultBackend backend;

	private static WorkerContainer javaWorker;

	private static PythonWorker pythonWorker;

	private static CanvasClient canvas;

	@BeforeAll
	static void startWorkers() {
		PythonCelery python = PythonCelery.require();
		RedisTestServer redis = RedisTestServer.get();
		broker = Brokers.create(redis.url(0));
		backend = ResultBackends.create(redis.url(1), Duration.ofHours(1));
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskDefinition("java.add",
				(context) -> number(context.getArgs().get(0)) + number(context.getArgs().get(1)),
				TaskOptions.defaults(), "test"));
		registry.register(new TaskDefinition("java.mul",
				(context) -> number(context.getArgs().get(0)) * number(context.getArgs().get(1)),
				TaskOptions.defaults(), "test"));
		registry.register(new TaskDefinition("java.xsum",
				(context) -> ((List<?>) context.getArgs().get(0)).stream()
					.mapToLong(CanvasEndToEndInteropTests::number)
					.sum(),
				TaskOptions.defaults(), "test"));
		CeleryClient client = new CeleryClient(broker, backend, new TaskRouter(Map.of(), registry, JAVA_QUEUE),
				ZoneOffset.UTC);
		canvas = new CanvasClient(client);
		javaWorker = new WorkerContainer(broker, backend, registry,
				new WorkerOptions("java-" + UUID.randomUUID() + "@e2e", 4, PoolType.THREADS, List.of(JAVA_QUEUE), 4,
						Duration.ofSeconds(5), Duration.ofHours(1), ZoneOffset.UTC));
		javaWorker.start();
		pythonWorker = PythonWorker.start(python, Map.of("CELERY_BROKER_URL", redis.url(0), "CELERY_RESULT_BACKEND",
				redis.url(1), "CELERY_QUEUE", PYTHON_QUEUE), PYTHON_QUEUE, "python-" + UUID.randomUUID() + "@e2e");
	}

	@AfterAll
	static void stop() {
		if (pythonWorker != null) {
			pythonWorker.close();
		}
		if (javaWorker != null) {
			javaWorker.stop();
		}
		if (broker != null) {
			broker.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	private static long number(Object value) {
		return ((Number) value).longValue();
	}

	private static Signature java(String task, Object... args) {
		return Signature.of(task, args).withQueue(JAVA_QUEUE);
	}

	private static Signature python(String task, Object... args) {
		return Signature.of(task, args).withQueue(PYTHON_QUEUE);
	}

	@Test
	void chainPassesResultsBetweenJavaAndPythonTasks() {
		AsyncResult last = canvas
			.apply(Chain.of(java("java.add", 2, 3), python("py.mul", 4), java("java.add", 10), python("py.add", 1)));
		assertThat(last.get(TIMEOUT)).as(pythonWorker::output).isEqualTo(31);
		assertThat(last.getParent().get(TIMEOUT)).isEqualTo(30);
		assertThat(last.getParent().getParent().get(TIMEOUT)).isEqualTo(20);
		assertThat(last.getParent().getParent().getParent().get(TIMEOUT)).isEqualTo(5);
	}

	@Test
	void chordHeaderOnBothWorkersFiresTheBodyOnceWithResultsInOrder() {
		List<Signature> header = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			header.add((i % 2 == 0) ? java("java.add", i, i) : python("py.add", i, i));
		}
		AsyncResult body = canvas.apply(Chord.of(header, python("py.xsum")));
		assertThat(body.get(TIMEOUT)).as(pythonWorker::output).isEqualTo(90);
		assertThat(((GroupResult) body.getParent()).join(TIMEOUT))
			.isEqualTo(IntStream.range(0, 10).mapToObj((i) -> 2 * i).toList());
	}

	@Test
	void chordWithJavaBodyCollectsPythonAndJavaResults() {
		AsyncResult body = canvas.apply(Chord
			.of(List.of(python("py.add", 1, 1), java("java.add", 2, 2), python("py.add", 3, 3)), java("java.xsum")));
		assertThat(body.get(TIMEOUT)).as(pythonWorker::output).isEqualTo(12);
	}

	@Test
	void thousandMemberGroupCompletesWithResultsInOrder() {
		List<Signature> members = IntStream.range(0, 1000).mapToObj((i) -> java("java.add", i, 1)).toList();
		GroupResult group = canvas.apply(Group.of(members));
		assertThat(group.join(TIMEOUT)).isEqualTo(IntStream.range(0, 1000).mapToObj((i) -> i + 1).toList());
		assertThat(group.completedCount()).isEqualTo(1000);
	}

	@Test
	void thousandMemberChordCompletesOnceWithResultsInOrder() {
		List<Signature> header = IntStream.range(0, 1000).mapToObj((i) -> java("java.mul", i, 2)).toList();
		AsyncResult body = canvas.apply(Chord.of(header, java("java.xsum")));
		assertThat(body.get(TIMEOUT)).isEqualTo(999 * 1000);
		assertThat(((GroupResult) body.getParent()).join(TIMEOUT))
			.isEqualTo(IntStream.range(0, 1000).mapToObj((i) -> 2 * i).toList());
	}

}
