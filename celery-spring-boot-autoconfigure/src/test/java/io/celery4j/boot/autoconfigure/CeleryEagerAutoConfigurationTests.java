package io.celery4j.boot.autoconfigure;

import java.time.Duration;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.Broker;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.TaskRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the task options {@link CeleryAutoConfiguration} applies to the client and to
 * every task: {@code celery.task.always-eager}, {@code eager-propagates},
 * {@code store-eager-result} and {@code reject-on-worker-lost}.
 */
class CeleryEagerAutoConfigurationTests {

	private static final Duration NO_WAIT = Duration.ofMillis(1);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class))
		.withUserConfiguration(EagerTasksConfiguration.class);

	@Test
	void sendsToTheBrokerByDefault() {
		this.contextRunner.run((context) -> {
			CeleryClient client = context.getBean(CeleryClient.class);
			assertThat(client.isEager()).isFalse();
			AsyncResult result = client.send("eager.add", 2, 3);
			assertThat(context.getBean(Broker.class).queueLength("celery")).isEqualTo(1);
			assertThat(result.ready()).isFalse();
		});
	}

	@Test
	void runsTasksInTheCallersThreadWhenAlwaysEager() {
		this.contextRunner.withPropertyValues("celery.task.always-eager=true").run((context) -> {
			CeleryClient client = context.getBean(CeleryClient.class);
			assertThat(client.isEager()).isTrue();
			assertThat(client.send("eager.add", 2, 3).get(NO_WAIT, Integer.class)).isEqualTo(5);
			assertThat(client.send(EagerTasks.class, (tasks) -> tasks.add(4, 5)).get(NO_WAIT, Integer.class))
				.isEqualTo(9);
			AsyncResult failed = client.send("eager.fail");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(NO_WAIT))
				.withMessageContaining("no luck");
			assertThat(context.getBean(Broker.class).queueLength("celery")).isZero();
			// Not stored: the result is only in the handle, like Celery's EagerResult.
			assertThat(client.result(failed.getId()).state()).isEqualTo(TaskState.PENDING);
		});
	}

	@Test
	void throwsFromSendWhenEagerPropagates() {
		this.contextRunner.withPropertyValues("celery.task.always-eager=true", "celery.task.eager-propagates=true")
			.run((context) -> assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> context.getBean(CeleryClient.class).send("eager.fail"))
				.withMessage("no luck"));
	}

	@Test
	void storesEagerResultsWhenAsked() {
		this.contextRunner.withPropertyValues("celery.task.always-eager=true", "celery.task.store-eager-result=true")
			.run((context) -> {
				CeleryClient client = context.getBean(CeleryClient.class);
				AsyncResult result = client.send("eager.add", 1, 2);
				assertThat(client.result(result.getId()).get(NO_WAIT, Integer.class)).isEqualTo(3);
			});
	}

	@Test
	void appliesRejectOnWorkerLostToEveryTask() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(TaskRegistry.class).find("eager.add").options().rejectOnWorkerLost())
			.isFalse());
		this.contextRunner.withPropertyValues("celery.task.reject-on-worker-lost=true")
			.run((context) -> assertThat(
					context.getBean(TaskRegistry.class).find("eager.add").options().rejectOnWorkerLost())
				.isTrue());
	}

	@Configuration(proxyBeanMethods = false)
	static class EagerTasksConfiguration {

		@Bean
		EagerTasks eagerTasks() {
			return new EagerTasks();
		}

	}

	public static class EagerTasks {

		@CeleryTask(name = "eager.add")
		public int add(int x, int y) {
			return x + y;
		}

		@CeleryTask(name = "eager.fail")
		public void fail() {
			throw new IllegalStateException("no luck");
		}

	}

}
