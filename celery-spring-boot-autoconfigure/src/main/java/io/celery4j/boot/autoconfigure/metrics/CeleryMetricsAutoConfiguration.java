package io.celery4j.boot.autoconfigure.metrics;

import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.boot.autoconfigure.beat.CeleryBeatAutoConfiguration;
import io.celery4j.boot.autoconfigure.MonitoredQueues;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.boot.metrics.CeleryBeatMetrics;
import io.celery4j.boot.metrics.CeleryQueueMetrics;
import io.celery4j.boot.metrics.CeleryTaskMetrics;
import io.celery4j.boot.metrics.CeleryWorkerMetrics;
import io.celery4j.broker.Broker;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.WorkerContainer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Celery's meters (docs/metrics.md).
 */
@AutoConfiguration(
		after = { CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
				CeleryBeatAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ MeterRegistry.class, Broker.class, TaskRegistry.class })
public final class CeleryMetricsAutoConfiguration {

	CeleryMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryTaskMetrics celeryTaskMetrics(TaskRegistry tasks) {
		return new CeleryTaskMetrics(tasks);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CeleryQueueMetrics celeryQueueMetrics(Broker broker, CeleryProperties properties) {
		return new CeleryQueueMetrics(broker, MonitoredQueues.of(properties), CeleryQueueMetrics.DEFAULT_INTERVAL);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(WorkerContainer.class)
	CeleryWorkerMetrics celeryWorkerMetrics(WorkerContainer worker) {
		return new CeleryWorkerMetrics(worker);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(BeatScheduler.class)
	CeleryBeatMetrics celeryBeatMetrics() {
		return new CeleryBeatMetrics();
	}

}
