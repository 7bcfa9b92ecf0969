package io.celery4j.control;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.client.CeleryClient;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskInvoker;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.PoolType;

/**
 * A broker, backend, client and workers with a pidbox, for one test; each harness owns
 * its queue and node names.
 */
final class ControlHarness implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(15);

	final Broker broker;

	final ResultBackend backend;

	final TaskRegistry registry = new TaskRegistry();

	final CeleryClient client;

	final String queue = "control-test-" + UUID.randomUUID();

	final String nodeName = "control-" + UUID.randomUUID() + "@test";

	private final List<WorkerContainer> workers = new ArrayList<>();

	ControlHarness(String brokerUrl, String backendUrl) {
		this.broker = Brokers.create(brokerUrl);
		this.backend = ResultBackends.create(backendUrl, Duration.ofHours(1));
		this.client = new CeleryClient(this.broker, this.backend, new TaskRouter(Map.of(), this.registry, this.queue),
				ZoneOffset.UTC);
	}

	static ControlHarness onMemory() {
		return new ControlHarness("memory://", "memory://");
	}

	ControlHarness task(String name, TaskInvoker invoker) {
		this.registry.register(new TaskDefinition(name, invoker, TaskOptions.defaults(), "test task " + name));
		return this;
	}

	WorkerOptions options(int concurrency) {
		return options(this.nodeName, concurrency);
	}

	WorkerOptions options(String nodeName, int concurrency) {
		return new WorkerOptions(nodeName, concurrency, PoolType.THREADS, List.of(this.queue), 4, Duration.ofSeconds(5),
				Duration.ofHours(1), ZoneOffset.UTC);
	}

	/**
	 * Start a worker that mingles at start, as the auto-configuration sets it up.
	 */
	WorkerContainer startWithMingle(WorkerOptions options) {
		WorkerContainer worker = new WorkerContainer(this.broker, this.backend, this.registry, options);
		worker.addExtension(new Mingle(Duration.ofSeconds(2)));
		worker.addExtension(new Pidbox(false));
		this.workers.add(worker);
		worker.start();
		return worker;
	}

	WorkerContainer start(WorkerOptions options, boolean remoteShutdown) {
		WorkerContainer worker = new WorkerContainer(this.broker, this.backend, this.registry, options);
		worker.addExtension(new Pidbox(remoteShutdown));
		this.workers.add(worker);
		worker.start();
		return worker;
	}

	WorkerContainer start(int concurrency) {
		return start(options(concurrency), false);
	}

	@Override
	public void close() {
		this.workers.forEach(WorkerContainer::stop);
		this.broker.close();
		this.backend.close();
	}

}
