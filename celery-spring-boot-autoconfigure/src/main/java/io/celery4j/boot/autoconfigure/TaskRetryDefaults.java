package io.celery4j.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.celery4j.task.RetryPolicy;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks the {@code celery.task.*} retry properties and turns them into the default
 * {@link RetryPolicy} of every task.
 */
final class TaskRetryDefaults {

	private TaskRetryDefaults() {
	}

	static RetryPolicy retryPolicy(CeleryProperties.Task task) {
		if (task.getMaxRetries() < -1) {
			throw new InvalidConfigurationPropertyValueException("celery.task.max-retries", task.getMaxRetries(),
					"Use a number of retries >= 0, or -1 for no limit.");
		}
		notNegative("celery.task.default-retry-delay", task.getDefaultRetryDelay());
		notNegative("celery.task.retry-backoff", task.getRetryBackoff());
		notNegative("celery.task.retry-backoff-max", task.getRetryBackoffMax());
		Integer maxRetries = (task.getMaxRetries() == -1) ? null : task.getMaxRetries();
		return new RetryPolicy(maxRetries, task.getDefaultRetryDelay(), List.of(), task.getRetryBackoff(),
				task.getRetryBackoffMax(), task.isRetryJitter());
	}

	private static void notNegative(String name, Duration value) {
		if (value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "Use a duration of zero or more.");
		}
	}

}
