package io.celery4j.task;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.TaskHeaders;
import io.celery4j.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The request a task runs for: its arguments and metadata. A task method that declares a
 * {@code TaskContext} parameter receives it, like Celery's {@code bind=True} gives
 * {@code self.request}. Counterpart of Celery's {@code celery.app.task.Context}.
 */
public class TaskContext {

	private final TaskMessage message;

	private final String hostname;

	/**
	 * Create a context for a message received by a worker.
	 * @param message the task message
	 * @param hostname the node name of the worker running it
	 */
	public TaskContext(TaskMessage message, String hostname) {
		this.message = message;
		this.hostname = hostname;
	}

	/**
	 * Return the task id.
	 * @return the id
	 */
	public String getId() {
		return this.message.headers().id();
	}

	/**
	 * Return the task name.
	 * @return the name
	 */
	public String getTaskName() {
		return this.message.headers().task();
	}

	/**
	 * Return the positional arguments as JSON values.
	 * @return the args, unmodifiable
	 */
	public List<@Nullable Object> getArgs() {
		return Collections.unmodifiableList(this.message.args());
	}

	/**
	 * Return the keyword arguments as JSON values.
	 * @return the kwargs, unmodifiable
	 */
	public Map<String, @Nullable Object> getKwargs() {
		return Collections.unmodifiableMap(this.message.kwargs());
	}

	/**
	 * Return how many times this task has been retried.
	 * @return the retry count, 0 on the first run
	 */
	public int getRetries() {
		return this.message.headers().retries();
	}

	/**
	 * Return the earliest execution time as sent (ISO 8601).
	 * @return the eta or {@code null}
	 */
	public @Nullable String getEta() {
		return this.message.headers().eta();
	}

	/**
	 * Return the expiry time as sent (ISO 8601).
	 * @return the expires or {@code null}
	 */
	public @Nullable String getExpires() {
		return this.message.headers().expires();
	}

	/**
	 * Return the node name of the worker running the task.
	 * @return the hostname, for example {@code celery@host}
	 */
	public String getHostname() {
		return this.hostname;
	}

	/**
	 * Return the queue (routing key) the message was delivered from.
	 * @return the routing key
	 */
	public String getRoutingKey() {
		return this.message.properties().routingKey();
	}

	/**
	 * Return the id of the task that sent this one.
	 * @return the parent id or {@code null}
	 */
	public @Nullable String getParentId() {
		return this.message.headers().parentId();
	}

	/**
	 * Return the id of the first task of the workflow.
	 * @return the root id
	 */
	public String getRootId() {
		return this.message.headers().rootId();
	}

	/**
	 * Return the group this task belongs to.
	 * @return the group id or {@code null}
	 */
	public @Nullable String getGroup() {
		return this.message.headers().group();
	}

	/**
	 * Return the headers of the message.
	 * @return the headers
	 */
	public TaskHeaders getHeaders() {
		return this.message.headers();
	}

	/**
	 * Return the whole message.
	 * @return the message
	 */
	public TaskMessage getMessage() {
		return this.message;
	}

}
