package io.celery4j.boot.annotation;

import java.time.Duration;
import java.util.List;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.task.RetryPolicy;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskHooks;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry, result and hooks attributes of {@code @CeleryTask} and their
 * {@code celery.task.*} defaults.
 */
class CeleryTaskRetryAttributesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class));

	@Test
	void tasksGetCeleryRetryDefaults() {
		this.contextRunner.withBean(RetryTasks.class).run((context) -> {
			TaskOptions options = options(context.getBean(TaskRegistry.class), "tasks.plain");
			assertThat(options.retry()).isEqualTo(RetryPolicy.defaults());
			assertThat(options.trackStarted()).isFalse();
			assertThat(options.storeErrorsEvenIfIgnored()).isFalse();
			assertThat(options.hooks()).isEmpty();
		});
	}

	@Test
	void takesRetryDefaultsFromTaskProperties() {
		this.contextRunner.withBean(RetryTasks.class)
			.withPropertyValues("celery.task.max-retries=-1", "celery.task.default-retry-delay=5",
					"celery.task.retry-backoff=2", "celery.task.retry-backoff-max=30", "celery.task.retry-jitter=false",
					"celery.task.track-started=true", "celery.task.store-errors-even-if-ignored=true")
			.run((context) -> {
				TaskOptions options = options(context.getBean(TaskRegistry.class), "tasks.plain");
				assertThat(options.retry()).isEqualTo(new RetryPolicy(null, Duration.ofSeconds(5), List.of(),
						Duration.ofSeconds(2), Duration.ofSeconds(30), false));
				assertThat(options.trackStarted()).isTrue();
				assertThat(options.storeErrorsEvenIfIgnored()).isTrue();
			});
	}

	@Test
	void annotationAttributesOverrideTheProperties() {
		this.contextRunner.withBean(RetryTasks.class).withPropertyValues("celery.task.max-retries=9").run((context) -> {
			TaskOptions options = options(context.getBean(TaskRegistry.class), "tasks.tuned");
			assertThat(options.retry()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(10),
					List.of(IllegalStateException.class), Duration.ofSeconds(1), Duration.ofSeconds(60), false));
			assertThat(options.trackStarted()).isTrue();
		});
	}

	@Test
	void failsOnMaxRetriesThatIsNotANumberNamingTheMethod() {
		this.contextRunner.withBean(BadRetryTasks.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.hasMessageContaining("@CeleryTask(maxRetries)")
				.hasMessageContaining("BadRetryTasks#work()")
				.hasMessageContaining("'often'");
		});
	}

	@Test
	void failsOnNegativeMaxRetriesPropertyNamingIt() {
		this.contextRunner.withBean(RetryTasks.class)
			.withPropertyValues("celery.task.max-retries=-2")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure().hasMessageContaining("celery.task.max-retries");
			});
	}

	@Test
	void baseHooksComeFromTheBeanWhenThereIsOneAfterApplicationWideHooks() {
		RollbackHooks bean = new RollbackHooks();
		AuditHooks audit = new AuditHooks();
		this.contextRunner.withBean(RetryTasks.class)
			.withBean(RollbackHooks.class, () -> bean)
			.withBean(AuditHooks.class, () -> audit)
			.run((context) -> {
				TaskRegistry registry = context.getBean(TaskRegistry.class);
				assertThat(options(registry, "tasks.hooked").hooks()).containsExactlyInAnyOrder(bean, audit);
				assertThat(options(registry, "tasks.plain").hooks()).containsExactlyInAnyOrder(bean, audit);
			});
	}

	@Test
	void baseHooksAreMadeWithTheirConstructorWhenThereIsNoBean() {
		this.contextRunner.withBean(RetryTasks.class).run((context) -> {
			assertThat(options(context.getBean(TaskRegistry.class), "tasks.hooked").hooks()).singleElement()
				.isInstanceOf(RollbackHooks.class);
		});
	}

	@Test
	void failsOnBaseThatIsNotTaskHooks() {
		this.contextRunner.withBean(BadBaseTasks.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.hasMessageContaining("@CeleryTask(base)")
				.hasMessageContaining("BadBaseTasks#work()")
				.hasMessageContaining("TaskHooks");
		});
	}

	private static TaskOptions options(TaskRegistry registry, String name) {
		return registry.get(name).options();
	}

	static class RetryTasks {

		@CeleryTask(name = "tasks.plain")
		public void plain() {
		}

		@CeleryTask(name = "tasks.tuned", maxRetries = "5", defaultRetryDelay = "10",
				autoretryFor = IllegalStateException.class, retryBackoff = "true", retryBackoffMax = "60",
				retryJitter = "false", trackStarted = "true")
		public void tuned() {
		}

		@CeleryTask(name = "tasks.hooked", base = RollbackHooks.class)
		public void hooked() {
		}

	}

	static class BadRetryTasks {

		@CeleryTask(name = "tasks.bad", maxRetries = "often")
		public void work() {
		}

	}

	static class BadBaseTasks {

		@CeleryTask(name = "tasks.bad_base", base = String.class)
		public void work() {
		}

	}

	public static class RollbackHooks implements TaskHooks {

		@Override
		public void onFailure(Throwable exception, TaskContext context) {
		}

	}

	static class AuditHooks implements TaskHooks {

		@Override
		public void afterReturn(String state, @Nullable Object result, TaskContext context) {
		}

	}

}
