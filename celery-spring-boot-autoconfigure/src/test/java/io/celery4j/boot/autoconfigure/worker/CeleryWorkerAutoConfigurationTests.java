package io.celery4j.boot.autoconfigure.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.celery4j.backend.ResultBackend;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.broker.Broker;
import io.celery4j.client.CeleryClient;
import io.celery4j.control.CeleryControl;
import io.celery4j.control.Mingle;
import io.celery4j.control.Pidbox;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.NodeNames;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerObserver;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.WorkerStateDb;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CeleryWorkerAutoConfiguration}.
 */
class CeleryWorkerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class));

	@Test
	void workerMinglesAndAnswersRemoteControlByDefault() {
		this.contextRunner.run((context) -> assertThat(context.getBean(WorkerContainer.class).getExtensions())
			.extracting((extension) -> (Object) extension.getClass())
			.containsExactly(Mingle.class, Pidbox.class));
	}

	@Test
	void mingleCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("celery.worker.mingle=false")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).getExtensions())
				.extracting((extension) -> (Object) extension.getClass())
				.containsExactly(Pidbox.class));
	}

	@Test
	void stateDbKeepsRevokedIdsAcrossRestarts(@TempDir Path directory) {
		String stateDb = directory.resolve("%n.state").toString();
		this.contextRunner.withPropertyValues("celery.worker.state-db=" + stateDb, "celery.worker.name=w1@test")
			.run((context) -> {
				WorkerContainer worker = context.getBean(WorkerContainer.class);
				assertThat(worker.getExtensions().get(0)).isInstanceOf(WorkerStateDb.class);
				worker.revoke(List.of("kept-id"), false, 0);
			});
		assertThat(directory.resolve("w1.state")).content().contains("kept-id");
		this.contextRunner.withPropertyValues("celery.worker.state-db=" + stateDb, "celery.worker.name=w1@test")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).getRevoked().ids())
				.containsExactly("kept-id"));
	}

	@Test
	void failsWhenTheStateDbDirectoryDoesNotExist(@TempDir Path directory) {
		String stateDb = directory.resolve("missing").resolve("worker.state").toString();
		this.contextRunner.withPropertyValues("celery.worker.state-db=" + stateDb).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("celery.worker.state-db")
				.hasMessageContaining("does not exist");
		});
	}

	@Test
	void failsWhenTheStateDbIsNotOurs(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("python.db");
		Files.writeString(file, "not json");
		this.contextRunner.withPropertyValues("celery.worker.state-db=" + file).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("celery.worker.state-db")
				.hasMessageContaining("not usable");
		});
	}

	@Test
	void createsAndStartsWorkerWithCelerysDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WorkerContainer.class);
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			assertThat(worker.isRunning()).isTrue();
			WorkerOptions options = worker.getOptions();
			assertThat(options.nodeName()).isEqualTo("celery@" + NodeNames.hostname());
			assertThat(options.concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
			assertThat(options.pool()).isEqualTo(PoolType.THREADS);
			assertThat(options.queues()).containsExactly("celery");
			assertThat(options.prefetchMultiplier()).isEqualTo(4);
			assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(options.visibilityTimeout()).isEqualTo(Duration.ofHours(1));
		});
	}

	@Test
	void registersCelerysBuiltInCanvasTasks() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(TaskRegistry.class).all()).extracting(TaskDefinition::name)
				.contains("celery.map", "celery.starmap", "celery.chunks"));
	}

	@Test
	void registersWorkerObserverBeansInOrder() {
		this.contextRunner.withUserConfiguration(ObserverConfiguration.class).run((context) -> {
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			assertThat(worker.getObservers()).containsExactly(context.getBean("firstObserver", WorkerObserver.class),
					context.getBean("secondObserver", WorkerObserver.class));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ObserverConfiguration {

		@Bean
		@Order(2)
		WorkerObserver secondObserver() {
			return new WorkerObserver() {
			};
		}

		@Bean
		@Order(1)
		WorkerObserver firstObserver() {
			return new WorkerObserver() {
			};
		}

	}

	@Test
	void appliesWorkerProperties() {
		this.contextRunner
			.withPropertyValues("celery.worker.name=reports@%n", "celery.worker.concurrency=3",
					"celery.worker.pool=solo", "celery.worker.queues=reports,celery",
					"celery.worker.prefetch-multiplier=0", "celery.worker.shutdown-timeout=5",
					"celery.broker-transport-options.visibility-timeout=2h", "celery.timezone=Europe/Paris")
			.run((context) -> {
				WorkerOptions options = context.getBean(WorkerContainer.class).getOptions();
				assertThat(options.nodeName()).startsWith("reports@");
				assertThat(options.concurrency()).isEqualTo(3);
				assertThat(options.pool()).isEqualTo(PoolType.SOLO);
				assertThat(options.queues()).containsExactly("reports", "celery");
				assertThat(options.prefetchMultiplier()).isZero();
				assertThat(options.prefetchLimit()).isEqualTo(Integer.MAX_VALUE);
				assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.visibilityTimeout()).isEqualTo(Duration.ofHours(2));
				assertThat(options.timezone().getId()).isEqualTo("Europe/Paris");
			});
	}

	@Test
	void appliesEventAndRemoteControlProperties() {
		this.contextRunner
			.withPropertyValues("celery.worker.send-task-events=true", "celery.worker.heartbeat-interval=5",
					"celery.worker.remote-shutdown=true", "celery.task.send-sent-event=true")
			.run((context) -> {
				WorkerOptions options = context.getBean(WorkerContainer.class).getOptions();
				assertThat(options.sendTaskEvents()).isTrue();
				assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
				CeleryControl control = context.getBean(CeleryControl.class);
				assertThat(control.ping()).containsOnlyKeys(options.nodeName());
				assertThat(control.broadcast("shutdown", Map.of(), null, true, Duration.ofMillis(500))).isEmpty();
			});
	}

	@Test
	void failsWhenHeartbeatIntervalIsZero() {
		this.contextRunner.withPropertyValues("celery.worker.heartbeat-interval=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().hasMessageContaining("celery.worker.heartbeat-interval");
		});
	}

	@Test
	void bindsEnvironmentVariablesThroughRelaxedBinding() {
		Map<String, Object> environment = Map.of("CELERY_BROKER_URL", "memory://", "CELERY_RESULT_BACKEND", "disabled",
				"CELERY_WORKER_NAME", "env@box", "CELERY_WORKER_QUEUES", "a,b", "CELERY_TASK_ACKS_LATE", "true",
				"CELERY_BROKER_TRANSPORT_OPTIONS_VISIBILITY_TIMEOUT", "7200");
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource(
						"test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)))
			.run((context) -> {
				WorkerOptions options = context.getBean(WorkerContainer.class).getOptions();
				assertThat(options.nodeName()).isEqualTo("env@box");
				assertThat(options.queues()).containsExactly("a", "b");
				assertThat(options.visibilityTimeout()).isEqualTo(Duration.ofHours(2));
				assertThat(context.getBean(CeleryProperties.class).getTask().isAcksLate()).isTrue();
				assertThat(context.getBean(ResultBackend.class).maskedUrl()).isEqualTo("disabled");
			});
	}

	@Test
	void bindsPoolNamesCaseInsensitively() {
		this.contextRunner.withPropertyValues("celery.worker.pool=THREADS")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).getOptions().pool())
				.isEqualTo(PoolType.THREADS));
	}

	@Test
	void removesWorkerWhenDisabledButKeepsTheClient() {
		this.contextRunner.withPropertyValues("celery.worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(WorkerContainer.class);
			assertThat(context).hasSingleBean(CeleryClient.class).hasSingleBean(TaskRegistry.class);
		});
	}

	@Test
	void ignoresWorkerPropertiesWhenDisabled() {
		this.contextRunner.withPropertyValues("celery.worker.enabled=false", "celery.worker.concurrency=0")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WorkerContainer.class));
	}

	@Test
	void backsOffWhenUserDefinesWorkerContainer() {
		this.contextRunner.withUserConfiguration(UserWorkerConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(WorkerContainer.class).hasBean("myWorker"));
	}

	@Test
	void appliesCustomizersInOrder() {
		this.contextRunner.withUserConfiguration(CustomizersConfiguration.class).run((context) -> {
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			assertThat(context.getBean(CustomizersConfiguration.class).calls).containsExactly("first", "second");
			assertThat(context.getBean(CustomizersConfiguration.class).customized).containsOnly(worker);
		});
	}

	@Test
	void stopsWorkerWithTheContext() {
		this.contextRunner.run((context) -> {
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			context.close();
			assertThat(worker.isRunning()).isFalse();
		});
	}

	@Test
	void failsWhenConcurrencyIsZero() {
		this.contextRunner.withPropertyValues("celery.worker.concurrency=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property celery.worker.concurrency with value '0' is invalid");
		});
	}

	@Test
	void failsWhenPrefetchMultiplierIsNegative() {
		this.contextRunner.withPropertyValues("celery.worker.prefetch-multiplier=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Property celery.worker.prefetch-multiplier with value '-1' is invalid");
		});
	}

	@Test
	void failsWhenQueuesAreEmpty() {
		this.contextRunner.withPropertyValues("celery.worker.queues=").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("celery.worker.queues");
		});
	}

	@Test
	void failsWhenShutdownTimeoutIsNegative() {
		this.contextRunner.withPropertyValues("celery.worker.shutdown-timeout=-1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("celery.worker.shutdown-timeout");
		});
	}

	@Test
	void failsWhenVisibilityTimeoutIsZero() {
		this.contextRunner.withPropertyValues("celery.broker-transport-options.visibility-timeout=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("celery.broker-transport-options.visibility-timeout");
		});
	}

	@Test
	void failsOnUnknownPoolNamingThePropertyAndTheValue() {
		this.contextRunner.withPropertyValues("celery.worker.pool=prefork").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.hasStackTraceContaining("celery.worker.pool")
				.hasStackTraceContaining("prefork");
		});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void failsWhenPoolIsVirtualBeforeJava21() {
		this.contextRunner.withPropertyValues("celery.worker.pool=virtual").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessage("Property celery.worker.pool with value 'virtual' is invalid: Virtual threads need "
						+ "Java 21 or later (running " + Runtime.version().feature()
						+ "). Use 'threads' or a newer JVM.");
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void runsVirtualPoolOnJava21OrLater() {
		this.contextRunner.withPropertyValues("celery.worker.pool=virtual")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).getOptions().pool())
				.isEqualTo(PoolType.VIRTUAL));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserWorkerConfiguration {

		@Bean
		WorkerContainer myWorker(Broker broker, ResultBackend backend, TaskRegistry registry) {
			return new WorkerContainer(broker, backend, registry, new WorkerOptions("mine@host", 1, PoolType.SOLO,
					List.of("mine"), 1, Duration.ofSeconds(1), Duration.ofHours(1), ZoneOffset.UTC));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizersConfiguration {

		final List<String> calls = new ArrayList<>();

		final List<WorkerContainer> customized = new ArrayList<>();

		@Bean
		@Order(2)
		WorkerContainerCustomizer second() {
			return (worker) -> {
				this.calls.add("second");
				this.customized.add(worker);
			};
		}

		@Bean
		@Order(1)
		WorkerContainerCustomizer first() {
			return (worker) -> {
				this.calls.add("first");
				this.customized.add(worker);
			};
		}

	}

}
