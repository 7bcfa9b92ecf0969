package io.celery4j.task;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link TaskContext#retry(RetryOptions)} decides like Celery's {@code Task.retry}.
 */
class TaskContextRetryTests {

	@Test
	void retryWithoutCountdownWaitsTheDefaultRetryDelay() {
		RetryException retry = catchThrowableOfType(RetryException.class, () -> context(0, policy(3)).retry());
		assertThat(retry.getCountdown()).isEqualTo(Duration.ofSeconds(180));
		assertThat(retry.getRetries()).isEqualTo(1);
		assertThat(retry.getMessage()).isEqualTo("Retry in 180s");
	}

	@Test
	void retryMessageNamesTheCountdownAndTheCauseAsCeleryDoes() {
		RetryException retry = catchThrowableOfType(RetryException.class, () -> context(0, policy(3)).retry(
				RetryOptions.defaults().countdown(Duration.ofMillis(100)).exc(new IllegalStateException("transient"))));
		assertThat(retry.getMessage()).isEqualTo("Retry in 0.1s: RuntimeError('transient')");
		assertThat(retry.getCause()).hasMessage("transient");
	}

	@Test
	void retryAtAnEtaRunsAtThatTime() {
		Instant eta = Instant.parse("2030-01-02T03:04:05Z");
		RetryException retry = catchThrowableOfType(RetryException.class,
				() -> context(0, policy(3)).retry(RetryOptions.defaults().eta(eta)));
		assertThat(retry.when(Instant.now())).isEqualTo(eta);
		assertThat(retry.getMessage()).isEqualTo("Retry at 2030-01-02 03:04:05.000000+00:00");
	}

	@Test
	void retryPastTheLimitWithoutCauseThrowsMaxRetriesExceeded() {
		assertThatExceptionOfType(MaxRetriesExceededException.class).isThrownBy(() -> context(3, policy(3)).retry())
			.withMessage("Can't retry tasks.x[id-1] args:(1,) kwargs:{}");
	}

	@Test
	void retryPastTheLimitThrowsTheCauseAsItIsEvenWhenChecked() {
		IOException cause = new IOException("disk");
		Throwable thrown = catchThrowableOfType(IOException.class, () -> context(3, policy(3)).retry(cause));
		assertThat(thrown).isSameAs(cause);
	}

	@Test
	void retryUpToTheLimitIsAllowed() {
		assertThatExceptionOfType(RetryException.class).isThrownBy(() -> context(2, policy(3)).retry());
	}

	@Test
	void maxRetriesOverrideReplacesTheTaskLimit() {
		assertThatExceptionOfType(MaxRetriesExceededException.class)
			.isThrownBy(() -> context(1, policy(3)).retry(RetryOptions.defaults().maxRetries(1)));
		assertThatExceptionOfType(RetryException.class)
			.isThrownBy(() -> context(5, policy(3)).retry(RetryOptions.defaults().maxRetries(-1)));
	}

	@Test
	void taskWithoutLimitRetriesForever() {
		assertThatExceptionOfType(RetryException.class).isThrownBy(() -> context(1000, policy(null)).retry());
	}

	@Test
	void retryCarriesTheSameArgumentsUnlessOverridden() {
		RetryException same = catchThrowableOfType(RetryException.class, () -> context(0, policy(3)).retry());
		assertThat(same.getArgs()).containsExactly(1);
		RetryException other = catchThrowableOfType(RetryException.class,
				() -> context(0, policy(3)).retry(RetryOptions.defaults().kwargs(Map.of("n", 2))));
		assertThat(other.getKwargs()).containsEntry("n", 2);
	}

	@Test
	void maxRetriesExceededIsStoredAsCeleryException() {
		assertThat(PythonExceptions.toExceptionInfo(new MaxRetriesExceededException("Can't retry")).toMap())
			.containsEntry("exc_type", "MaxRetriesExceededError")
			.containsEntry("exc_module", "celery.exceptions");
	}

	private static RetryPolicy policy(@Nullable Integer maxRetries) {
		RetryPolicy defaults = RetryPolicy.defaults();
		return new RetryPolicy(maxRetries, defaults.defaultRetryDelay(), List.of(), Duration.ZERO,
				defaults.retryBackoffMax(), true);
	}

	private static TaskContext context(int retries, RetryPolicy policy) {
		TaskMessage message = TaskMessage.builder("tasks.x").id("id-1").args(List.of(1)).retries(retries).build();
		return new TaskContext(message, "worker@host", TaskOptions.defaults().withRetry(policy));
	}

}
