package io.celery4j.sample;

import java.util.List;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.annotation.TaskParam;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The contract tasks, callable from Python Celery by name.
 */
@Component
public class SampleTasks {

	@CeleryTask(name = "tasks.add")
	public long add(long x, long y) {
		return x + y;
	}

	@CeleryTask(name = "tasks.mul")
	public long mul(long x, long y) {
		return x * y;
	}

	@CeleryTask(name = "tasks.xsum")
	public Number xsum(List<Number> numbers) {
		// Like Python's sum(): integers stay integers, any float makes the sum a float.
		boolean integers = numbers.stream().allMatch((n) -> n instanceof Integer || n instanceof Long);
		if (integers) {
			return numbers.stream().mapToLong(Number::longValue).sum();
		}
		return numbers.stream().mapToDouble(Number::doubleValue).sum();
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
		Thread.sleep((long) (seconds * 1000));
		return seconds;
	}

}
