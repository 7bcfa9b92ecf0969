package io.celery4j.task;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import io.celery4j.protocol.PythonRepr;
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

	private final TaskOptions options;

	private final boolean eager;

	/**
	 * Create a context for a message received by a worker, for a task with default
	 * options.
	 * @param message the task message
	 * @param hostname the node name of the worker running it
	 */
	public TaskContext(TaskMessage message, String hostname) {
		this(message, hostname, TaskOptions.defaults());
	}

	/**
	 * Create a context for a message received by a worker.
	 * @param message the task message
	 * @param hostname the node name of the worker running it
	 * @param options the options of the task, for its retry policy
	 */
	public TaskContext(TaskMessage message, String hostname, TaskOptions options) {
		this(message, hostname, options, false);
	}

	/**
	 * Create a context for a message run by a worker or, with {@code eager}, in the
	 * caller's thread ({@code celery.task.always-eager}).
	 * @param message the task message
	 * @param hostname the node name of the worker, or this host's name when eager
	 * @param options the options of the task, for its retry policy
	 * @param eager whether the task runs eagerly instead of on a worker
	 */
	public TaskContext(TaskMessage message, String hostname, TaskOptions options, boolean eager) {
		this.message = message;
		this.hostname = hostname;
		this.options = options;
		this.eager = eager;
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
	 * Return whether the task runs eagerly, in the caller's thread
	 * ({@code celery.task.always-eager}, see {@code io.celery4j.client.EagerRunner}),
	 * rather than on a worker. Same as Celery's {@code self.request.is_eager}.
	 * @return {@code true} when eager, {@code false} on a worker
	 */
	public boolean isEager() {
		return this.eager;
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
	 * Return this task's position in its chord header ({@code headers.group_index}),
	 * which orders the results the chord body receives.
	 * @return the index, or {@code null} when the task is not a chord header member
	 */
	public @Nullable Integer getGroupIndex() {
		return this.message.headers().groupIndex();
	}

	/**
	 * Return the chord body this task is a header member of ({@code embed.chord}), in
	 * Celery's signature form ({@code task}, {@code args}, {@code kwargs},
	 * {@code options}, {@code subtask_type}, {@code immutable}); read it with
	 * {@code Signature.fromJson}.
	 * @return the body signature, unmodifiable, or {@code null} when the task is not in a
	 * chord
	 */
	public @Nullable Map<String, @Nullable Object> getChord() {
		Map<String, @Nullable Object> chord = this.message.embed().chord();
		return (chord != null) ? Collections.unmodifiableMap(chord) : null;
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

	/**
	 * Return the priority the message was delivered with.
	 * @return 0 to 9
	 */
	public int getPriority() {
		return this.message.properties().priority();
	}

	/**
	 * Return the delivery info as Celery's {@code request.delivery_info} shows it.
	 * @return {@code exchange}, {@code routing_key} and {@code priority}
	 */
	public Map<String, @Nullable Object> getDeliveryInfo() {
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("exchange", this.message.properties().exchange());
		info.put("routing_key", this.message.properties().routingKey());
		info.put("priority", this.message.properties().priority());
		return Collections.unmodifiableMap(info);
	}

	/**
	 * Return the options of the running task.
	 * @return the options
	 */
	public TaskOptions getOptions() {
		return this.options;
	}

	/**
	 * Retry the task after its default retry delay, with the same arguments. Same as
	 * Celery's {@code self.retry()}.
	 * @return never returns; declared so that callers can write {@code throw
	 * context.retry()}
	 * @throws RetryException always, unless the retry limit is reached
	 * @throws MaxRetriesExceededException when the retry limit is reached
	 */
	public RetryException retry() {
		return retry(RetryOptions.defaults());
	}

	/**
	 * Retry the task because of an exception, after its default retry delay. Same as
	 * Celery's {@code self.retry(exc=exc)}.
	 * @param exc the cause: stored with RETRY, thrown as it is once the limit is reached
	 * @return never returns; declared so that callers can write {@code throw
	 * context.retry(ex)}
	 */
	public RetryException retry(Throwable exc) {
		return retry(RetryOptions.defaults().exc(exc));
	}

	/**
	 * Retry the task: the worker stores RETRY, sends it again under the same id with the
	 * retry count plus one and acknowledges this run. When the retry count would pass the
	 * limit, throws the cause instead (a checked cause too, as Celery re-raises it) or,
	 * without a cause, {@link MaxRetriesExceededException}. Same as Celery's
	 * {@code self.retry(...)}.
	 * @param retry what the retry changes
	 * @return never returns; declared so that callers can write {@code throw
	 * context.retry(options)}
	 */
	public RetryException retry(RetryOptions retry) {
		int retries = getRetries() + 1;
		Integer limit = retry.getMaxRetries();
		Integer maxRetries = (limit == null) ? this.options.retry().maxRetries() : (limit < 0) ? null : limit;
		Duration countdown = retry.getCountdown();
		if (retry.getEta() == null && countdown == null) {
			countdown = this.options.retry().defaultRetryDelay();
		}
		List<@Nullable Object> args = (retry.getArgs() != null) ? Json.toValues(retry.getArgs()) : this.message.args();
		Map<String, @Nullable Object> kwargs = (retry.getKwargs() != null) ? Json.toValueMap(retry.getKwargs())
				: this.message.kwargs();
		Throwable exc = retry.getExc();
		if (maxRetries != null && retries > maxRetries) {
			if (exc != null) {
				throw RetryException.<RuntimeException>rethrow(exc);
			}
			throw new MaxRetriesExceededException("Can't retry " + getTaskName() + "[" + getId() + "] args:"
					+ PythonRepr.args(args) + " kwargs:" + PythonRepr.kwargs(kwargs));
		}
		throw new RetryException(exc, countdown, retry.getEta(), retries, args, kwargs);
	}

}
