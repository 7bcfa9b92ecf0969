package io.celery4j.worker;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.protocol.Json;
import io.celery4j.task.ArgumentBinder;
import io.celery4j.task.MethodTaskInvoker;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskInvoker;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.testsupport.RedisTestServer;
import io.celery4j.worker.pool.PoolType;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker, a backend, a task registry, a client and workers on them, for one test. Each
 * harness owns a fresh queue name, so tests never see each other's messages.
 */
final class TestWorker implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(15);

	final Broker broker;

	final ResultBackend backend;

	final TaskRegistry registry = new TaskRegistry();

	final CeleryClient client;

	final String queue = "worker-test-" + UUID.randomUUID();

	private final List<WorkerContainer> workers = new ArrayList<>();

	private final List<Runnable> onClose = new ArrayList<>();

	private TestWorker(Broker broker, ResultBackend backend) {
		this.broker = broker;
		this.backend = backend;
		this.client = new CeleryClient(broker, backend, new TaskRouter(Map.of(), this.registry, this.queue),
				ZoneOffset.UTC);
	}

	static TestWorker onMemory() {
		return onMemory(UnaryOperator.identity());
	}

	/**
	 * Use the memory broker, seen through a decorator the test gives (for example one
	 * that records what is published).
	 */
	static TestWorker onMemory(UnaryOperator<Broker> decorator) {
		return new TestWorker(decorator.apply(Brokers.create("memory://")),
				ResultBackends.create("memory://", Duration.ofHours(1)));
	}

	/**
	 * Use the Redis broker and backend on connection factories the test owns (they are
	 * destroyed with the harness), as an application can pass its own.
	 */
	static TestWorker onRedis(LettuceConnectionFactory brokerFactory, LettuceConnectionFactory backendFactory,
			String description) {
		TestWorker harness = new TestWorker(Brokers.redis(brokerFactory, description),
				ResultBackends.redis(backendFactory, Duration.ofHours(1), description));
		harness.onClose.add(brokerFactory::destroy);
		harness.onClose.add(backendFactory::destroy);
		return harness;
	}

	static TestWorker onRedis(int brokerDb, int backendDb) {
		RedisTestServer redis = RedisTestServer.get();
		return new TestWorker(Brokers.create(redis.url(brokerDb)),
				ResultBackends.create(redis.url(backendDb), Duration.ofHours(1)));
	}

	TestWorker task(String name, TaskInvoker invoker) {
		return task(name, TaskOptions.defaults(), invoker);
	}

	TestWorker task(String name, TaskOptions options, TaskInvoker invoker) {
		this.registry.register(new TaskDefinition(name, invoker, options, "test task " + name));
		return this;
	}

	/**
	 * Register a method of a bean as a task, as the annotation support does.
	 */
	TestWorker methodTask(String name, Object bean, String methodName) {
		Method method = Arrays.stream(bean.getClass().getMethods())
			.filter((candidate) -> candidate.getName().equals(methodName))
			.findFirst()
			.orElseThrow();
		ArgumentBinder binder = new ArgumentBinder(name, method, Json.mapper());
		return task(name, new MethodTaskInvoker(bean, method, binder));
	}

	WorkerOptions options(PoolType pool, int concurrency) {
		return options(pool, concurrency, 4, Duration.ofSeconds(10));
	}

	WorkerOptions options(PoolType pool, int concurrency, int prefetchMultiplier, Duration shutdownTimeout) {
		return new WorkerOptions("worker-test@" + NodeNames.hostname(), concurrency, pool, List.of(this.queue),
				prefetchMultiplier, shutdownTimeout, Duration.ofHours(1), ZoneOffset.UTC);
	}

	WorkerContainer start(WorkerOptions options, WorkerObserver... observers) {
		return start(options, UnaryOperator.identity(), observers);
	}

	/**
	 * Start a worker that sees the backend through a decorator the test gives (for
	 * example one that records what the worker stores).
	 */
	WorkerContainer start(WorkerOptions options, UnaryOperator<ResultBackend> backendDecorator,
			WorkerObserver... observers) {
		WorkerContainer worker = new WorkerContainer(this.broker, backendDecorator.apply(this.backend), this.registry,
				options);
		// Canvas messages the worker sends are routed like the client's: to this queue.
		worker.setTaskRouter(new TaskRouter(Map.of(), this.registry, this.queue));
		Arrays.stream(observers).forEach(worker::addObserver);
		this.workers.add(worker);
		worker.start();
		return worker;
	}

	/**
	 * Start a worker on the pool the general tests use ({@code CELERY_TEST_POOL}).
	 */
	WorkerContainer start(int concurrency) {
		return start(options(TestPools.configured(), concurrency));
	}

	AsyncResult send(String taskName, Object... args) {
		return send(taskName, SendOptions.defaults(), args);
	}

	AsyncResult send(String taskName, SendOptions options, Object... args) {
		return this.client.send(taskName, Arrays.asList(args), Map.of(), options.queue(this.queue));
	}

	void publishRaw(String envelope) {
		this.broker.publish(this.queue, 0, envelope);
	}

	long queueLength() {
		return this.broker.queueLength(this.queue);
	}

	/**
	 * Stop a worker the way Spring does (asynchronously) and wait for its callback.
	 */
	static void stopAndWait(WorkerContainer worker) throws InterruptedException {
		CountDownLatch stopped = new CountDownLatch(1);
		worker.stop(stopped::countDown);
		assertThat(stopped.await(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)).as("stop callback ran").isTrue();
		assertThat(worker.isRunning()).isFalse();
	}

	@Override
	public void close() {
		this.workers.forEach(WorkerContainer::stop);
		this.broker.close();
		this.backend.close();
		this.onClose.forEach(Runnable::run);
	}

}
