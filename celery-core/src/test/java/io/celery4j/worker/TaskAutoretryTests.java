package io.celery4j.worker;

import java.time.Duration;
import java.util.List;

import io.celery4j.task.RetryPolicy;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backoff of automatic retries follows Celery's
 * {@code get_exponential_backoff_interval}.
 */
class TaskAutoretryTests {

	@Test
	void backoffDoublesWithEachRetryUpToTheMaximum() {
		RetryPolicy policy = policy(2, 600, false);
		assertThat(TaskAutoretry.backoff(policy, 0)).isEqualTo(Duration.ofSeconds(2));
		assertThat(TaskAutoretry.backoff(policy, 1)).isEqualTo(Duration.ofSeconds(4));
		assertThat(TaskAutoretry.backoff(policy, 5)).isEqualTo(Duration.ofSeconds(64));
		assertThat(TaskAutoretry.backoff(policy, 9)).isEqualTo(Duration.ofSeconds(600));
		assertThat(TaskAutoretry.backoff(policy, 100)).isEqualTo(Duration.ofSeconds(600));
	}

	@RepeatedTest(20)
	void backoffWithJitterStaysBetweenZeroAndTheBackoff() {
		assertThat(TaskAutoretry.backoff(policy(1, 600, true), 3)).isBetween(Duration.ZERO, Duration.ofSeconds(8));
	}

	private static RetryPolicy policy(long factor, long maximum, boolean jitter) {
		return new RetryPolicy(3, Duration.ofSeconds(180), List.of(), Duration.ofSeconds(factor),
				Duration.ofSeconds(maximum), jitter);
	}

}
