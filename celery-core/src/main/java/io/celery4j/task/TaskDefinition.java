package io.celery4j.task;

import org.springframework.util.Assert;

/**
 * A registered task: its name, what runs it and its options.
 *
 * @param name the task name, for example {@code tasks.add}
 * @param invoker what runs the task
 * @param options the task's options
 * @param source where the task was declared, for messages (for example
 * {@code SampleTasks#add(int, int)})
 */
public record TaskDefinition(String name, TaskInvoker invoker, TaskOptions options, String source) {

	public TaskDefinition {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(invoker, "'invoker' must not be null");
		Assert.notNull(options, "'options' must not be null");
		Assert.notNull(source, "'source' must not be null");
	}

}
