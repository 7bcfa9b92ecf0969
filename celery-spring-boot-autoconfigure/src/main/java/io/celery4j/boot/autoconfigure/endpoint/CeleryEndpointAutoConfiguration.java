package io.celery4j.boot.autoconfigure.endpoint;

import io.celery4j.beat.BeatScheduler;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.boot.autoconfigure.MonitoredQueues;
import io.celery4j.boot.autoconfigure.beat.CeleryBeatAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.boot.endpoint.CeleryEndpoint;
import io.celery4j.broker.Broker;
import io.celery4j.control.CeleryControl;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.WorkerContainer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code celery} actuator endpoint.
 */
@AutoConfiguration(after = { CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
		CeleryBeatAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ Broker.class, TaskRegistry.class })
@ConditionalOnAvailableEndpoint(CeleryEndpoint.class)
public final class CeleryEndpointAutoConfiguration {

	CeleryEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryControl celeryControl(Broker broker) {
		return new CeleryControl(broker);
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryEndpoint celeryEndpoint(Broker broker, TaskRegistry tasks, CeleryProperties properties,
			ObjectProvider<WorkerContainer> worker, ObjectProvider<CeleryControl> control,
			ObjectProvider<BeatScheduler> beat) {
		return new CeleryEndpoint(broker, tasks, MonitoredQueues.of(properties), worker.getIfUnique(),
				control.getIfUnique(), beat.getIfUnique());
	}

}
