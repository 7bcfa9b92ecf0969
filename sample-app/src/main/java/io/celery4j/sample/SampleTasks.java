package io.celery4j.sample;

import java.time.Duration;
import java.util.List;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.annotation.Periodic;
import io.celery4j.annotation.TaskParam;
import io.celery4j.task.RetryOptions;
import io.celery4j.task.TaskContext;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The contract tasks of {@code shared/sample-app-contract.md}, callable from Python
 * Celery by name.
 */
@Component
public class SampleTasks {

	@CeleryTask(name = "tasks.add")
	public Number add(Number x, Number y) {
		return PythonNumbers.add(x, y);
	}

	@CeleryTask(name = "tasks.mul")
	public Number mul(Number x, Number y) {
		return PythonNumbers.multiply(x, y);
	}

	@CeleryTask(name = "tasks.xsum")
	public Number xsum(List<Number> numbers) {
		return PythonNumbers.sum(numbers);
	}

	@CeleryTask(name = "tasks.echo")
	public @Nullable Object echo(@Nullable Object value) {
		return value;
	}

	@CeleryTask(name = "tasks.greet")
	public String greet(String name, @TaskParam(defaultValue = "Hello") String greeting) {
		return greeting + ", " + name + "!";
	}

	@CeleryTask(name = "tasks.fail")
	public void fail(String message) {
		throw new IllegalArgumentException(message);
	}

	@CeleryTask(name = "tasks.sleep")
	public double sleep(double seconds) throws InterruptedException {
		Thread.sleep(Duration.ofNanos((long) (seconds * 1_000_000_000L)).toMillis());
		return seconds;
	}

	/**
	 * Retry with a countdown of 0.1 s until the retry count is {@code n}, then return
	 * {@code n}; each retry stores RETRY under the same task id.
	 * @param n how many retries
	 * @param context the request, like Celery's {@code bind=True}
	 * @return {@code n}
	 */
	@CeleryTask(name = "tasks.retry_until")
	public int retryUntil(int n, TaskContext context) {
		if (context.getRetries() < n) {
			// The limit follows n, so that any n the caller asks for is reached.
			throw context.retry(RetryOptions.defaults().countdown(Duration.ofMillis(100)).maxRetries(n));
		}
		return n;
	}

	@CeleryTask(name = "tasks.tick")
	@Periodic(fixedRate = "${sample.tick-rate:10s}", queue = "${sample.tick-queue:celery}")
	public long tick() {
		return System.currentTimeMillis();
	}

}
