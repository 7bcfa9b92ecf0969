package io.celery4j.boot.autoconfigure.health;

import io.celery4j.backend.ResultBackend;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.boot.health.CeleryHealthIndicator;
import io.celery4j.broker.Broker;
import io.celery4j.worker.WorkerContainer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code celery} health indicator.
 */
@AutoConfiguration(after = { CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class })
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean({ Broker.class, ResultBackend.class })
@ConditionalOnEnabledHealthIndicator("celery")
public final class CeleryHealthContributorAutoConfiguration {

	CeleryHealthContributorAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "celeryHealthIndicator")
	CeleryHealthIndicator celeryHealthIndicator(Broker broker, ResultBackend backend,
			ObjectProvider<WorkerContainer> worker) {
		return new CeleryHealthIndicator(broker, backend, worker.getIfUnique());
	}

}
