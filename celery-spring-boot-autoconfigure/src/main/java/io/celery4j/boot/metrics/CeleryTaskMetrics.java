package io.celery4j.boot.metrics;

import java.time.Duration;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.broker.Delivery;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.TaskRequest;
import io.celery4j.worker.WorkerObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Task meters, counted as the worker's message path goes: {@code celery.task.received},
 * {@code celery.task.rejected}, {@code celery.task.retried}, {@code celery.task.revoked}
 * (counters) and {@code celery.task.execution} (timer with an {@code outcome} tag). The
 * {@code task} tag is the registered task name; names not registered here count under
 * {@value #UNREGISTERED}, so a flood of unknown names cannot grow the number of meters.
 */
public class CeleryTaskMetrics implements MeterBinder, WorkerObserver {

	/** Tag value of the {@code task} tag for names not registered in this application. */
	public static final String UNREGISTERED = "unregistered";

	private final TaskRegistry tasks;

	private volatile @Nullable MeterRegistry registry;

	/**
	 * Create the binder.
	 * @param tasks the registry that decides which task names are tag values
	 */
	public CeleryTaskMetrics(TaskRegistry tasks) {
		Assert.notNull(tasks, "'tasks' must not be null");
		this.tasks = tasks;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		// Registered up front so that a scrape lists every task before its first run.
		for (TaskDefinition task : this.tasks.all()) {
			counter(registry, "celery.task.received", "Tasks received by the worker", task.name());
			timer(registry, task.name(), "success");
			timer(registry, task.name(), "failure");
		}
	}

	@Override
	public void onReceived(TaskRequest request) {
		increment("celery.task.received", "Tasks received by the worker", request.getName());
	}

	@Override
	public void onRejected(Delivery delivery, @Nullable TaskMessage message, String reason) {
		increment("celery.task.rejected", "Messages rejected without running",
				(message != null) ? message.taskName() : UNREGISTERED);
	}

	@Override
	public void onSucceeded(TaskRequest request, @Nullable Object result, Duration runtime) {
		record(request, "success", runtime);
	}

	@Override
	public void onFailed(TaskRequest request, ExceptionInfo exception, @Nullable String traceback, Duration runtime) {
		record(request, "failure", runtime);
	}

	@Override
	public void onRetried(TaskRequest request, ExceptionInfo reason, @Nullable String traceback) {
		increment("celery.task.retried", "Task runs that asked for a retry", request.getName());
	}

	@Override
	public void onRevoked(TaskRequest request, boolean expired, boolean terminated) {
		increment("celery.task.revoked", "Tasks revoked or expired instead of run", request.getName());
	}

	private void record(TaskRequest request, String outcome, Duration runtime) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			timer(registry, tag(request.getName()), outcome).record(runtime);
		}
	}

	private void increment(String name, String description, String taskName) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			counter(registry, name, description, tag(taskName)).increment();
		}
	}

	private String tag(String taskName) {
		return (this.tasks.find(taskName) != null) ? taskName : UNREGISTERED;
	}

	private static Counter counter(MeterRegistry registry, String name, String description, String task) {
		return Counter.builder(name).description(description).tag("task", task).register(registry);
	}

	private static Timer timer(MeterRegistry registry, String task, String outcome) {
		return Timer.builder("celery.task.execution")
			.description("Time tasks ran on the worker, by outcome")
			.tag("task", task)
			.tag("outcome", outcome)
			.register(registry);
	}

}
