package io.celery4j.boot.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.boot.annotation.CeleryTaskAnnotationBeanPostProcessor;
import io.celery4j.boot.annotation.TaskDefinitionFactory;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.client.CanvasClient;
import io.celery4j.client.CeleryClient;
import io.celery4j.control.CeleryControl;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link CeleryAutoConfiguration}.
 */
class CeleryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class));

	@Test
	void createsBrokerBackendRegistryRouterAndClientOnMemoryByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Broker.class)
				.hasSingleBean(ResultBackend.class)
				.hasSingleBean(TaskRegistry.class)
				.hasSingleBean(TaskRouter.class)
				.hasSingleBean(TaskDefinitionFactory.class)
				.hasSingleBean(CeleryTaskAnnotationBeanPostProcessor.class)
				.hasSingleBean(CeleryClient.class);
			assertThat(context.getBean(Broker.class).maskedUrl()).isEqualTo("memory://");
			assertThat(context.getBean(ResultBackend.class).maskedUrl()).isEqualTo("memory://");
		});
	}

	@Test
	void defaultPropertiesMatchCelerysDefaults() {
		this.contextRunner.run((context) -> {
			CeleryProperties properties = context.getBean(CeleryProperties.class);
			assertThat(properties.getBrokerUrl()).isEqualTo("memory://");
			assertThat(properties.getResultBackend()).isNull();
			assertThat(properties.getResultExpires()).isEqualTo(Duration.ofDays(1));
			assertThat(properties.getTimezone()).isEqualTo(ZoneId.of("UTC"));
			assertThat(properties.isUseSpringDataRedis()).isFalse();
			assertThat(properties.getBrokerTransportOptions().getVisibilityTimeout()).isEqualTo(Duration.ofHours(1));
			assertThat(properties.getTask().getDefaultQueue()).isEqualTo("celery");
			assertThat(properties.getTask().isAcksLate()).isFalse();
			assertThat(properties.getTask().isIgnoreResult()).isFalse();
			assertThat(properties.getTask().getRoutes()).isEmpty();
		});
	}

	@Test
	void bindsDurationsWithoutSuffixAsSecondsLikeCelery() {
		this.contextRunner
			.withPropertyValues("celery.result-expires=3600",
					"celery.broker-transport-options.visibility-timeout=43200")
			.run((context) -> {
				CeleryProperties properties = context.getBean(CeleryProperties.class);
				assertThat(properties.getResultExpires()).isEqualTo(Duration.ofHours(1));
				assertThat(properties.getBrokerTransportOptions().getVisibilityTimeout())
					.isEqualTo(Duration.ofHours(12));
			});
	}

	@Test
	void bindsTimezone() {
		this.contextRunner.withPropertyValues("celery.timezone=Europe/Paris")
			.run((context) -> assertThat(context.getBean(CeleryProperties.class).getTimezone())
				.isEqualTo(ZoneId.of("Europe/Paris")));
	}

	@Test
	void routesTasksByPatternThenToTheDefaultQueue() {
		this.contextRunner
			.withPropertyValues("celery.task.routes[reports.*]=reports", "celery.task.routes[tasks.add]=math",
					"celery.task.default-queue=jobs")
			.run((context) -> {
				TaskRouter router = context.getBean(TaskRouter.class);
				assertThat(router.route("reports.daily", null)).isEqualTo("reports");
				assertThat(router.route("tasks.add", null)).isEqualTo("math");
				assertThat(router.route("tasks.mul", null)).isEqualTo("jobs");
				assertThat(router.route("tasks.add", "urgent")).isEqualTo("urgent");
			});
	}

	@Test
	void storesResultsWhereTheBrokerIsWhenNoBackendIsSet() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ResultBackend.class).maskedUrl())
			.isEqualTo(context.getBean(Broker.class).maskedUrl()));
	}

	@Test
	void backsOffWhenUserDefinesBroker() {
		this.contextRunner.withUserConfiguration(UserBrokerConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(Broker.class)
				.getBean(Broker.class)
				.isSameAs(context.getBean(UserBrokerConfiguration.class).broker));
	}

	@Test
	void backsOffWhenUserDefinesResultBackend() {
		this.contextRunner.withUserConfiguration(UserResultBackendConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(ResultBackend.class)
				.getBean(ResultBackend.class)
				.isSameAs(context.getBean(UserResultBackendConfiguration.class).backend));
	}

	@Test
	void backsOffWhenUserDefinesTaskRegistry() {
		this.contextRunner.withBean("myRegistry", TaskRegistry.class, TaskRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(TaskRegistry.class).hasBean("myRegistry"));
	}

	@Test
	void backsOffWhenUserDefinesTaskRouter() {
		this.contextRunner
			.withBean("myRouter", TaskRouter.class, () -> new TaskRouter(Map.of(), new TaskRegistry(), "mine"))
			.run((context) -> assertThat(context).hasSingleBean(TaskRouter.class).hasBean("myRouter"));
	}

	@Test
	void backsOffWhenUserDefinesCeleryClient() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(CeleryClient.class).hasBean("myClient"));
	}

	@Test
	void createsCanvasClientOnTheCeleryClient() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(CanvasClient.class));
	}

	@Test
	void createsControlClientThatBacksOffWhenUserDefinesOne() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(CeleryControl.class));
		this.contextRunner.withUserConfiguration(UserControlConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(CeleryControl.class).hasBean("myControl"));
	}

	@Test
	void failsOnUnknownBrokerSchemeWithoutShowingThePassword() {
		this.contextRunner.withPropertyValues("celery.broker-url=amqp://guest:s3cret@rabbit:5672//").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("celery.broker-url")
				.hasMessageContaining("amqp://guest:****@rabbit:5672//")
				.hasMessageContaining("redis://");
			assertThat(context.getStartupFailure()).hasStackTraceContaining("celery.broker-url")
				.satisfies((failure) -> assertThat(stackTrace(failure)).doesNotContain("s3cret"));
		});
	}

	@Test
	void failsOnUnknownResultBackendSchemeWithoutShowingThePassword() {
		this.contextRunner.withPropertyValues("celery.result-backend=db+postgresql://scott:tiger@db/celery")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("celery.result-backend")
					.hasMessageContaining("db+postgresql://scott:****@db/celery");
				assertThat(stackTrace(context.getStartupFailure())).doesNotContain("tiger");
			});
	}

	@Test
	void failsOnMalformedRedisUrlWithoutShowingThePassword() {
		this.contextRunner.withPropertyValues("celery.broker-url=redis://:p4ss@localhost:6379/zero").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("celery.broker-url");
			assertThat(stackTrace(context.getStartupFailure())).doesNotContain("p4ss");
		});
	}

	@Test
	void failsOnNegativeResultExpires() {
		this.contextRunner.withPropertyValues("celery.result-expires=-5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("celery.result-expires");
		});
	}

	@Test
	void failsOnUnparsableDurationNamingTheProperty() {
		this.contextRunner.withPropertyValues("celery.result-expires=soon").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().hasStackTraceContaining("celery.result-expires");
		});
	}

	@Test
	void failsOnUnknownTimezoneNamingTheProperty() {
		this.contextRunner.withPropertyValues("celery.timezone=Mars/Olympus").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().hasStackTraceContaining("celery.timezone");
		});
	}

	@Test
	void failsOnBlankDefaultQueue() {
		this.contextRunner.withPropertyValues("celery.task.default-queue= ").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("celery.task.default-queue");
		});
	}

	@Test
	void failsWhenUseSpringDataRedisIsSetWithoutConnectionFactory() {
		this.contextRunner.withPropertyValues("celery.use-spring-data-redis=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("celery.use-spring-data-redis")
				.hasMessageContaining("RedisConnectionFactory");
		});
	}

	@Test
	void closesBrokerAndBackendWithTheContext() {
		this.contextRunner.run((context) -> {
			Broker broker = context.getBean(Broker.class);
			context.close();
			assertThat(context.isClosed()).isTrue();
			assertThat(catchPublish(broker)).isInstanceOf(RuntimeException.class);
		});
	}

	private static Throwable catchPublish(Broker broker) {
		return catchThrowable(() -> broker.publish("celery", 0, "{}"));
	}

	static String stackTrace(Throwable failure) {
		StringWriter writer = new StringWriter();
		failure.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBrokerConfiguration {

		final Broker broker = Brokers.create("memory://");

		@Bean
		Broker myBroker() {
			return this.broker;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserResultBackendConfiguration {

		final ResultBackend backend = ResultBackends.create("memory://", Duration.ofMinutes(1));

		@Bean
		ResultBackend myBackend() {
			return this.backend;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		CeleryClient myClient(Broker broker, ResultBackend backend, TaskRouter router) {
			return new CeleryClient(broker, backend, router, ZoneId.of("UTC"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserControlConfiguration {

		@Bean
		CeleryControl myControl(Broker broker) {
			return new CeleryControl(broker, Duration.ofSeconds(2));
		}

	}

}
