package io.celery4j.boot.autoconfigure.health;

import java.util.Map;

import io.celery4j.backend.ResultBackend;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.boot.health.CeleryHealthIndicator;
import io.celery4j.broker.Broker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CeleryHealthContributorAutoConfiguration}.
 */
class CeleryHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
				CeleryHealthContributorAutoConfiguration.class))
		.withPropertyValues("celery.worker.concurrency=2");

	@Test
	void createsIndicatorThatIsUpWithBrokerBackendAndWorkerDetails() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CeleryHealthIndicator.class);
			Health health = context.getBean(CeleryHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("broker", "memory://").containsEntry("backend", "memory://");
			Map<?, ?> workers = (Map<?, ?>) health.getDetails().get("workers");
			assertThat(workers).hasSize(1);
			Map<?, ?> worker = (Map<?, ?>) workers.values().iterator().next();
			assertThat(worker.get("running")).isEqualTo(true);
			assertThat(worker.get("pool")).isEqualTo("threads");
			assertThat(worker.get("concurrency")).isEqualTo(2);
		});
	}

	@Test
	void reportsNoWorkersWhenTheWorkerIsDisabled() {
		this.contextRunner.withPropertyValues("celery.worker.enabled=false").run((context) -> {
			Health health = context.getBean(CeleryHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("workers")).isEqualTo(Map.of());
		});
	}

	@Test
	void isDownNamingTheBrokerWhenItDoesNotAnswer() {
		this.contextRunner
			.withPropertyValues("celery.broker-url=redis://:secret@127.0.0.1:1/0", "celery.result-backend=memory://",
					"celery.worker.enabled=false")
			.run((context) -> {
				Health health = context.getBean(CeleryHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("broker").toString()).contains("127.0.0.1:1")
					.doesNotContain("secret");
				assertThat(health.getDetails().get("error").toString()).startsWith("Celery broker does not answer");
				assertThat(health.getDetails().toString()).doesNotContain("secret");
			});
	}

	@Test
	void backsOffWhenUserDefinesCeleryHealthIndicator() {
		this.contextRunner.withUserConfiguration(UserIndicatorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CeleryHealthIndicator.class);
			assertThat(context.getBean(CeleryHealthIndicator.class).health().getDetails().get("workers"))
				.isEqualTo(Map.of());
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserIndicatorConfiguration {

		@Bean
		CeleryHealthIndicator celeryHealthIndicator(Broker broker, ResultBackend backend) {
			return new CeleryHealthIndicator(broker, backend, null);
		}

	}

	@Test
	void isOffWhenTheIndicatorIsDisabled() {
		this.contextRunner.withPropertyValues("management.health.celery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryHealthIndicator.class));
	}

	@Test
	void isOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AbstractHealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryHealthIndicator.class));
	}

	@Test
	void isOffWithoutBroker() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CeleryHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryHealthIndicator.class)
				.doesNotHaveBean(ResultBackend.class));
	}

}
