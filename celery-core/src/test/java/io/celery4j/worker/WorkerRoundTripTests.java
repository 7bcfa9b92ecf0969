package io.celery4j.worker;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.TaskOptions;
import io.celery4j.worker.pool.PoolType;
import io.celery4j.worker.pool.TaskPools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A task sent by the client runs on a worker and its outcome is stored, on every pool.
 */
@TestInstance(Lifecycle.PER_CLASS)
class WorkerRoundTripTests {

	private static final int CONCURRENCY = 3;

	/**
	 * One harness and worker per pool, shared by the tests: each test waits for its own
	 * tasks.
	 */
	private final Map<PoolType, TestWorker> harnesses = new EnumMap<>(PoolType.class);

	private final Map<PoolType, WorkerContainer> workers = new EnumMap<>(PoolType.class);

	private volatile CountDownLatch release = new CountDownLatch(0);

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicInteger mostAtOnce = new AtomicInteger();

	/** Tasks fail on purpose here: keep their error lines off the console. */
	private final LogCapture taskErrors = LogCapture.of(Level.ERROR, TaskTracer.class);

	@AfterAll
	void close() {
		this.harnesses.values().forEach(TestWorker::close);
		this.taskErrors.close();
	}

	private TestWorker harness(PoolType pool) {
		assumeAvailable(pool);
		return this.harnesses.computeIfAbsent(pool, (type) -> {
			TestWorker harness = TestWorker.onMemory()
				.methodTask("tasks.add", new MathTasks(), "add")
				.methodTask("tasks.divide", new MathTasks(), "divide")
				.methodTask("tasks.greet", new MathTasks(), "greet")
				.task("tasks.block", (context) -> {
					this.mostAtOnce.accumulateAndGet(this.running.incrementAndGet(), Math::max);
					try {
						return this.release.await(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
					}
					finally {
						this.running.decrementAndGet();
					}
				})
				.task("tasks.whoami", (context) -> context.getId() + "@" + context.getHostname())
				.task("tasks.is_eager", (context) -> context.isEager())
				.task("tasks.quiet", new TaskOptions(null, false, true), (context) -> "unseen");
			this.workers.put(type, harness.start(harness.options(type, CONCURRENCY)));
			return harness;
		});
	}

	private TestWorker harness() {
		return harness(TestPools.configured());
	}

	@ParameterizedTest
	@EnumSource(PoolType.class)
	void storesTheReturnValueAsSuccess(PoolType pool) {
		AsyncResult result = harness(pool).send("tasks.add", 2, 3);
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(5);
		assertThat(result.info().status()).isEqualTo(TaskState.SUCCESS);
		assertThat(result.info().dateDone()).isNotNull();
	}

	@ParameterizedTest
	@EnumSource(PoolType.class)
	void storesAnExceptionAsFailureWithTypeAndMessage(PoolType pool) {
		AsyncResult result = harness(pool).send("tasks.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT));
		TaskMeta meta = result.info();
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		ExceptionInfo exception = meta.exception();
		assertThat(exception).isNotNull();
		assertThat(exception.type()).isEqualTo("ZeroDivisionError");
		assertThat(exception.module()).isEqualTo("builtins");
		assertThat(exception.arguments()).containsExactly("/ by zero");
		assertThat(meta.traceback()).contains("MathTasks.divide").endsWith("ZeroDivisionError: / by zero\n");
	}

	@ParameterizedTest
	@EnumSource(PoolType.class)
	void storesTypeErrorNamingTheTaskWhenTheArgumentCountIsWrong(PoolType pool) {
		AsyncResult result = harness(pool).send("tasks.add", 1, 2, 3);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT));
		ExceptionInfo exception = result.info().exception();
		assertThat(exception).isNotNull();
		assertThat(exception.type()).isEqualTo("TypeError");
		assertThat(exception.message()).contains("'tasks.add'").contains("3 were given");
	}

	@ParameterizedTest
	@EnumSource(PoolType.class)
	void runsAsManyTasksAtOnceAsThePoolHasSlots(PoolType pool) {
		TestWorker harness = harness(pool);
		WorkerContainer worker = this.workers.get(pool);
		int slots = (pool == PoolType.SOLO) ? 1 : CONCURRENCY;
		this.release = new CountDownLatch(1);
		this.mostAtOnce.set(0);
		List<AsyncResult> results = IntStream.range(0, 2 * CONCURRENCY)
			.mapToObj((i) -> harness.send("tasks.block"))
			.toList();
		// A request is active a moment before its task body runs: wait for the bodies
		// too, or a task entering after the release would never overlap the others.
		await().atMost(TestWorker.TIMEOUT)
			.until(() -> worker.getState().getActive().size() == slots && this.running.get() == slots);
		assertThat(worker.getPool().getSize()).isEqualTo(slots);
		this.release.countDown();
		results.forEach((result) -> assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(true));
		assertThat(this.mostAtOnce).hasValue(slots);
	}

	@Test
	void bindsKeywordArgumentsByParameterName() {
		TestWorker harness = harness();
		AsyncResult result = harness.client.send("tasks.greet", List.of("Ada"), Map.of("greeting", "Hi"),
				SendOptions.defaults().queue(harness.queue));
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("Hi, Ada!");
	}

	@Test
	void passesTheRequestToALambdaTask() {
		AsyncResult result = harness().send("tasks.whoami");
		assertThat(result.get(TestWorker.TIMEOUT))
			.isEqualTo(result.getId() + "@" + this.workers.get(TestPools.configured()).getOptions().nodeName());
	}

	@Test
	void tellsTheTaskItDoesNotRunEagerly() {
		assertThat(harness().send("tasks.is_eager").get(TestWorker.TIMEOUT)).isEqualTo(false);
	}

	@Test
	void storesNoResultWhenTheMessageAsksToIgnoreIt() {
		TestWorker harness = harness();
		long before = started("tasks.add");
		AsyncResult ignored = harness.send("tasks.add", SendOptions.defaults().ignoreResult(true), 1, 1);
		awaitFinished("tasks.add", before + 1);
		assertThat(ignored.state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void storesNoResultWhenTheTaskIgnoresResults() {
		TestWorker harness = harness();
		long before = started("tasks.quiet");
		AsyncResult quiet = harness.send("tasks.quiet");
		awaitFinished("tasks.quiet", before + 1);
		assertThat(quiet.state()).isEqualTo(TaskState.PENDING);
	}

	private long started(String task) {
		return this.workers.get(TestPools.configured()).getState().getTotals().getOrDefault(task, 0L);
	}

	private void awaitFinished(String task, long count) {
		WorkerContainer worker = this.workers.get(TestPools.configured());
		await().atMost(TestWorker.TIMEOUT)
			.until(() -> started(task) == count && worker.getState().getActive().isEmpty());
	}

	@Test
	void logsAnUnexpectedTaskFailureAtErrorWithOneStackTrace() {
		try (LogCapture log = LogCapture.of(Level.DEBUG, TaskTracer.class)) {
			AsyncResult result = harness().send("tasks.divide", 1, 0);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT));
			await().atMost(TestWorker.TIMEOUT).until(() -> !log.messages(Level.ERROR).isEmpty());
			ILoggingEvent event = log.events().stream().filter((e) -> e.getLevel() == Level.ERROR).findFirst().get();
			assertThat(event.getFormattedMessage()).startsWith(
					"Task tasks.divide[" + result.getId() + "] raised unexpected: ZeroDivisionError('/ by zero')");
			assertThat(event.getThrowableProxy()).isNotNull();
			assertThat(event.getMDCPropertyMap()).containsEntry("taskId", result.getId())
				.containsEntry("taskName", "tasks.divide");
		}
	}

	@Test
	void logsWrongArgumentsWithoutAStackTrace() {
		try (LogCapture log = LogCapture.of(Level.DEBUG, TaskTracer.class)) {
			AsyncResult result = harness().send("tasks.add", "two", 3);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TestWorker.TIMEOUT));
			await().atMost(TestWorker.TIMEOUT).until(() -> !log.messages(Level.ERROR).isEmpty());
			ILoggingEvent event = log.events().stream().filter((e) -> e.getLevel() == Level.ERROR).findFirst().get();
			assertThat(event.getFormattedMessage()).contains("TypeError")
				.contains("Task 'tasks.add' argument 'x': expected int");
			assertThat(event.getThrowableProxy()).isNull();
		}
	}

	@Test
	void logsEachSuccessAtDebugInCeleryWording() {
		try (LogCapture log = LogCapture.of(Level.DEBUG, TaskTracer.class, TaskConsumer.class)) {
			AsyncResult result = harness().send("tasks.add", 2, 3);
			assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo(5);
			String task = "tasks.add[" + result.getId() + "]";
			await().atMost(TestWorker.TIMEOUT)
				.untilAsserted(() -> assertThat(log.messages(Level.DEBUG)).contains("Task " + task + " received")
					.anySatisfy(
							(line) -> assertThat(line).matches("Task \\Q" + task + "\\E succeeded in [0-9.]+s: 5")));
			assertThat(log.events()).allSatisfy((event) -> assertThat(event.getLevel()).isEqualTo(Level.DEBUG));
		}
	}

	private static void assumeAvailable(PoolType pool) {
		assumeThat(pool != PoolType.VIRTUAL || TaskPools.virtualThreadsAvailable())
			.as("virtual threads need Java 21 or later (running %s)", Runtime.version().feature())
			.isTrue();
	}

	/**
	 * Tasks bound through {@code MethodTaskInvoker}, as the annotation support binds
	 * them.
	 */
	public static class MathTasks {

		public int add(int x, int y) {
			return x + y;
		}

		public int divide(int x, int y) {
			return x / y;
		}

		public String greet(String name, String greeting) {
			return greeting + ", " + name + "!";
		}

	}

}
