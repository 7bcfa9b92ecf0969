package io.celery4j.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.annotation.TaskParam;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskFailedException;
import io.celery4j.worker.WorkerContainer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A whole application on the auto-configuration: {@code @CeleryTask} beans, the worker
 * and the client, on the transport a subclass chooses.
 */
abstract class AbstractCeleryEndToEndTests {

	static final Duration TIMEOUT = Duration.ofSeconds(20);

	/**
	 * Return the properties that choose the broker and the backend, and the queue this
	 * test class owns.
	 * @return property values in {@code name=value} form
	 */
	abstract String[] transportProperties();

	ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class))
			.withBean("mathTasks", MathTasks.class)
			.withPropertyValues(transportProperties())
			.withPropertyValues("celery.worker.shutdown-timeout=5s");
	}

	@Test
	void sendsTaskToTheWorkerAndReadsItsResult() {
		contextRunner().run((context) -> {
			CeleryClient client = context.getBean(CeleryClient.class);
			AsyncResult result = client.send("tasks.add", 2, 3);
			assertThat(result.get(TIMEOUT, Integer.class)).isEqualTo(5);
			assertThat(result.state()).isEqualTo("SUCCESS");
		});
	}

	@Test
	void bindsKeywordArgumentsAndAppliesTheDeclaredDefault() {
		contextRunner().run((context) -> {
			CeleryClient client = context.getBean(CeleryClient.class);
			AsyncResult withKeyword = client.send("tasks.greet", List.of(), Map.of("name", "Ada", "greeting", "Hi"),
					SendOptions.defaults());
			AsyncResult withDefault = client.send("tasks.greet", "Grace");
			assertThat(withKeyword.get(TIMEOUT)).isEqualTo("Hi, Ada!");
			assertThat(withDefault.get(TIMEOUT)).isEqualTo("Hello, Grace!");
		});
	}

	@Test
	void failsTaskCalledWithWrongArgumentCountNamingTheTask() {
		contextRunner().run((context) -> {
			AsyncResult result = context.getBean(CeleryClient.class).send("tasks.add", 1, 2, 3);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
				.satisfies((ex) -> assertThat(ex.getExceptionMessage()).contains("tasks.add"));
			assertThat(result.state()).isEqualTo("FAILURE");
		});
	}

	@Test
	void rejectsUnregisteredTaskAndKeepsWorking() {
		contextRunner().run((context) -> {
			CeleryClient client = context.getBean(CeleryClient.class);
			AsyncResult unknown = client.send("tasks.nope", 1);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> unknown.get(TIMEOUT))
				.satisfies((ex) -> {
					assertThat(ex.getExceptionType()).isEqualTo("NotRegistered");
					assertThat(ex.getExceptionMessage()).contains("tasks.nope");
				});
			assertThat(client.send("tasks.add", 20, 22).get(TIMEOUT, Integer.class)).isEqualTo(42);
			assertThat(context.getBean(WorkerContainer.class).isRunning()).isTrue();
		});
	}

	@Test
	void reportsTheExceptionOfAFailingTask() {
		contextRunner().run((context) -> {
			AsyncResult result = context.getBean(CeleryClient.class).send("tasks.fail", "boom");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
				.satisfies((ex) -> {
					assertThat(ex.getExceptionType()).isEqualTo("ValueError");
					assertThat(ex.getExceptionMessage()).isEqualTo("boom");
				});
		});
	}

	static class MathTasks {

		@CeleryTask(name = "tasks.add")
		public int add(int x, int y) {
			return x + y;
		}

		@CeleryTask(name = "tasks.greet")
		public String greet(String name, @TaskParam(defaultValue = "Hello") String greeting) {
			return greeting + ", " + name + "!";
		}

		@CeleryTask(name = "tasks.fail")
		public void fail(String message) {
			throw new IllegalArgumentException(message);
		}

	}

}
