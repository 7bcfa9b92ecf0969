package io.celery4j.boot.autoconfigure.metrics;

import java.time.Duration;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.boot.metrics.CeleryQueueMetrics;
import io.celery4j.boot.metrics.CeleryTaskMetrics;
import io.celery4j.boot.metrics.CeleryWorkerMetrics;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.WorkerContainer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CeleryMetricsAutoConfiguration}: meters after real tasks ran on the
 * {@code memory://} transport.
 */
class CeleryMetricsAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, CeleryAutoConfiguration.class,
						CeleryWorkerAutoConfiguration.class, CeleryMetricsAutoConfiguration.class))
		.withBean(MetricsTasks.class)
		.withPropertyValues("celery.worker.concurrency=2", "celery.worker.name=metrics@test",
				"celery.worker.shutdown-timeout=5s");

	@Test
	void countsExecutionsByTaskAndOutcome() {
		this.contextRunner.run((context) -> {
			CeleryClient client = context.getBean(CeleryClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(client.send("metrics.ok", 1).get(TIMEOUT)).isEqualTo(1);
			assertThat(client.send("metrics.ok", 2).get(TIMEOUT)).isEqualTo(2);
			AsyncResult failed = client.send("metrics.fail");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(TIMEOUT));
			await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(registry.get("celery.task.execution")
					.tag("task", "metrics.ok")
					.tag("outcome", "success")
					.timer()
					.count()).isEqualTo(2);
				assertThat(registry.get("celery.task.execution")
					.tag("task", "metrics.fail")
					.tag("outcome", "failure")
					.timer()
					.count()).isEqualTo(1);
			});
			assertThat(registry.get("celery.task.received").tag("task", "metrics.ok").counter().count()).isEqualTo(2);
			assertThat(registry.get("celery.task.execution")
				.tag("task", "metrics.ok")
				.tag("outcome", "failure")
				.timer()
				.count()).isZero();
		});
	}

	@Test
	void countsUnregisteredTasksUnderOneFixedTag() {
		this.contextRunner.run((context) -> {
			CeleryClient client = context.getBean(CeleryClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (int i = 0; i < 3; i++) {
				AsyncResult unknown = client.send("metrics.unknown-" + i);
				assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> unknown.get(TIMEOUT));
			}
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(registry.get("celery.task.rejected")
					.tag("task", CeleryTaskMetrics.UNREGISTERED)
					.counter()
					.count()).isEqualTo(3));
			assertThat(registry.find("celery.task.rejected").counters()).hasSize(1);
		});
	}

	@Test
	void countsExpiredTasksAsRevoked() {
		this.contextRunner.run((context) -> {
			CeleryClient client = context.getBean(CeleryClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			client.send("metrics.ok", java.util.List.of(1), java.util.Map.of(),
					SendOptions.defaults().expires(java.time.Instant.now().minusSeconds(60)));
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(
						registry.get("celery.task.revoked").tag("task", "metrics.ok").counter().count())
					.isEqualTo(1));
		});
	}

	@Test
	void reportsWorkerGaugesTaggedWithTheNodeName() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("celery.worker.pool.size").tag("worker", "metrics@test").gauge().value())
				.isEqualTo(2);
			assertThat(registry.get("celery.worker.active").tag("worker", "metrics@test").gauge().value()).isZero();
			assertThat(registry.get("celery.worker.prefetched").tag("worker", "metrics@test").gauge().value()).isZero();
		});
	}

	@Test
	void samplesQueueLengthsInTheBackground() {
		this.contextRunner.withPropertyValues("celery.worker.enabled=false", "celery.task.routes.metrics.ok=other")
			.run((context) -> {
				CeleryClient client = context.getBean(CeleryClient.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				client.send("metrics.ok", 1);
				client.send("metrics.ok", 2);
				client.send("metrics.fail");
				context.getBean(CeleryQueueMetrics.class).sample();
				assertThat(registry.get("celery.queue.length").tag("queue", "other").gauge().value()).isEqualTo(2);
				assertThat(registry.get("celery.queue.length").tag("queue", "celery").gauge().value()).isEqualTo(1);
				assertThat(context).doesNotHaveBean(CeleryWorkerMetrics.class);
			});
	}

	@Test
	void registersTheTaskMetricsAsWorkerObserver() {
		this.contextRunner.run((context) -> assertThat(context.getBean(WorkerContainer.class).getObservers())
			.contains(context.getBean(CeleryTaskMetrics.class)));
	}

	@Test
	void backsOffWhenUserDefinesCeleryTaskMetrics() {
		this.contextRunner
			.withBean("myTaskMetrics", CeleryTaskMetrics.class, () -> new CeleryTaskMetrics(new TaskRegistry()))
			.run((context) -> assertThat(context).getBean(CeleryTaskMetrics.class)
				.isSameAs(context.getBean("myTaskMetrics")));
	}

	@Test
	void isOffWithoutMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
					CeleryMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryTaskMetrics.class)
				.doesNotHaveBean(CeleryQueueMetrics.class));
	}

	@Test
	void isOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryTaskMetrics.class));
	}

	static class MetricsTasks {

		@CeleryTask(name = "metrics.ok")
		public int ok(int value) {
			return value;
		}

		@CeleryTask(name = "metrics.fail")
		public int fail() {
			throw new IllegalStateException("planned failure");
		}

	}

}
