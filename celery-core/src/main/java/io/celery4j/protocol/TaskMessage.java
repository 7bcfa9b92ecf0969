package io.celery4j.protocol;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A decoded protocol v2 task message: headers, properties and the body
 * {@code [args, kwargs, embed]}. Argument values are plain JSON values as Java objects
 * ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean},
 * {@code null}).
 *
 * @param headers the task headers
 * @param properties the kombu properties
 * @param args positional arguments
 * @param kwargs keyword arguments
 * @param embed callbacks, errbacks, chain and chord
 */
public record TaskMessage(TaskHeaders headers, MessageProperties properties, List<@Nullable Object> args,
		Map<String, @Nullable Object> kwargs, Embed embed) {

	/**
	 * Start a new message for a task, as a client or a worker sends it.
	 * @param taskName the task name
	 * @return a builder with Celery's defaults: a fresh id, no arguments, queue
	 * {@code celery}
	 */
	public static TaskMessageBuilder builder(String taskName) {
		return new TaskMessageBuilder(taskName);
	}

	/**
	 * Return the task id.
	 * @return the id header
	 */
	public String id() {
		return this.headers.id();
	}

	/**
	 * Return the task name.
	 * @return the task header
	 */
	public String taskName() {
		return this.headers.task();
	}

}
