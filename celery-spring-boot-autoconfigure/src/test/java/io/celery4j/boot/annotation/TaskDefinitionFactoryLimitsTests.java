package io.celery4j.boot.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.protocol.Json;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Rate limit, time limits and reject-on-worker-lost read from {@code @CeleryTask} with
 * the {@code celery.task.*} defaults.
 */
class TaskDefinitionFactoryLimitsTests {

	private static final Map<String, String> PLACEHOLDERS = Map.of("${limits.soft}", "1.5");

	private final TaskDefinitionFactory factory = new TaskDefinitionFactory(TaskOptions.defaults()
		.withTimeLimits(Duration.ofSeconds(60), null)
		.withRateLimit(RateLimit.parse("100/h", RateLimit.Scope.WORKER)), Json.mapper());

	@Test
	void readsTheAnnotationsLimits() {
		TaskOptions options = create("limited").options();
		assertThat(options.rateLimit()).isEqualTo(new RateLimit("10/s", 10, RateLimit.Scope.GLOBAL));
		assertThat(options.timeLimit()).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.softTimeLimit()).isEqualTo(Duration.ofMillis(1500));
		assertThat(options.rejectOnWorkerLost()).isTrue();
	}

	@Test
	void fallsBackToTheTaskDefaults() {
		TaskOptions options = create("plain").options();
		assertThat(options.rateLimit()).isEqualTo(new RateLimit("100/h", 100 / 3600.0, RateLimit.Scope.WORKER));
		assertThat(options.timeLimit()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.softTimeLimit()).isNull();
		assertThat(options.rejectOnWorkerLost()).isFalse();
	}

	@Test
	void failsOnAnInvalidRateLimitNamingTheTaskAndTheValue() {
		assertThatIllegalStateException().isThrownBy(() -> create("badRate"))
			.withMessageContaining("LimitedTasks#badRate()")
			.withMessageContaining("'10/d'");
	}

	@Test
	void failsOnANegativeTimeLimitNamingTheAttribute() {
		assertThatIllegalStateException().isThrownBy(() -> create("badTime"))
			.withMessageContaining("timeLimit")
			.withMessageContaining("LimitedTasks#badTime()")
			.withMessageContaining("'-1'");
	}

	@Test
	void failsOnAnUnknownRateLimitScope() {
		assertThatIllegalStateException().isThrownBy(() -> create("badScope"))
			.withMessageContaining("rateLimitScope")
			.withMessageContaining("'cluster'");
	}

	private TaskDefinition create(String methodName) {
		try {
			Method method = LimitedTasks.class.getMethod(methodName);
			return this.factory.create(new LimitedTasks(), "limitedTasks", method,
					method.getAnnotation(CeleryTask.class), (value) -> PLACEHOLDERS.getOrDefault(value, value));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class LimitedTasks {

		@CeleryTask(name = "tasks.limited", rateLimit = "10/s", rateLimitScope = "global", timeLimit = "5",
				softTimeLimit = "${limits.soft}", rejectOnWorkerLost = "true")
		public void limited() {
		}

		@CeleryTask(name = "tasks.plain")
		public void plain() {
		}

		@CeleryTask(name = "tasks.bad_rate", rateLimit = "10/d")
		public void badRate() {
		}

		@CeleryTask(name = "tasks.bad_time", timeLimit = "-1")
		public void badTime() {
		}

		@CeleryTask(name = "tasks.bad_scope", rateLimit = "1/s", rateLimitScope = "cluster")
		public void badScope() {
		}

	}

}
