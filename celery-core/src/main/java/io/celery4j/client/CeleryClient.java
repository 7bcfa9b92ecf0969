package io.celery4j.client;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.celery4j.backend.ResultBackend;
import io.celery4j.broker.Broker;
import io.celery4j.events.EventDispatcher;
import io.celery4j.events.Fanout;
import io.celery4j.events.LamportClock;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.TaskHeaders;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.TaskRouter;
import io.celery4j.worker.NodeNames;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Sends tasks to any worker, Java or Python, and gives access to their results.
 * Counterpart of Celery's {@code app.send_task} and {@code Task.apply_async}. With an
 * {@link EagerRunner} set, tasks run in the calling thread instead (Celery's
 * {@code task_always_eager}).
 *
 * <pre class="code">
 * AsyncResult sum = client.send("tasks.add", 2, 3);
 * AsyncResult later = client.send("tasks.add", List.of(2, 3), Map.of(),
 *         SendOptions.defaults().countdown(Duration.ofSeconds(10)));
 * </pre>
 */
public class CeleryClient {

	private static final Logger logger = LoggerFactory.getLogger(CeleryClient.class);

	private final Broker broker;

	private final ResultBackend backend;

	private final TaskRouter router;

	private final ZoneId timezone;

	private final TaskMessageCodec codec = new TaskMessageCodec();

	private volatile @Nullable EventDispatcher sentEvents;

	private volatile @Nullable EagerRunner eager;

	public CeleryClient(Broker broker, ResultBackend backend, TaskRouter router, ZoneId timezone) {
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		Assert.notNull(router, "'router' must not be null");
		Assert.notNull(timezone, "'timezone' must not be null");
		this.broker = broker;
		this.backend = backend;
		this.router = router;
		this.timezone = timezone;
	}

	/**
	 * Send a task with positional arguments.
	 * @param taskName the task name, for example {@code tasks.add}
	 * @param args the positional arguments
	 * @return the result handle
	 */
	public AsyncResult send(String taskName, @Nullable Object... args) {
		return send(taskName, Arrays.asList(args), Map.of(), SendOptions.defaults());
	}

	/**
	 * Send a task by method reference: the call is recorded on a stand-in, not run, and
	 * sent with its arguments to the task that method runs as.
	 *
	 * <pre class="code">
	 * AsyncResult sum = client.send(MathTasks.class, (tasks) -&gt; tasks.add(2, 3));
	 * </pre>
	 * @param <T> the type declaring the task method
	 * @param type the class or interface declaring the {@code @CeleryTask} method
	 * @param call calls exactly one task method with the arguments to send
	 * @return the result handle
	 * @throws IllegalArgumentException if the call cannot be resolved to a task
	 */
	public <T> AsyncResult send(Class<T> type, Consumer<? super T> call) {
		return send(type, call, SendOptions.defaults());
	}

	/**
	 * Send a task by method reference with options.
	 * @param <T> the type declaring the task method
	 * @param type the class or interface declaring the {@code @CeleryTask} method
	 * @param call calls exactly one task method with the arguments to send
	 * @param options how to send it
	 * @return the result handle
	 * @throws IllegalArgumentException if the call cannot be resolved to a task
	 */
	public <T> AsyncResult send(Class<T> type, Consumer<? super T> call, SendOptions options) {
		TaskMethodCall recorded = TaskMethodCall.record(type, call);
		return send(recorded.taskName(this.router.getRegistry()), recorded.args(), Map.of(), options);
	}

	/**
	 * Send a task.
	 * @param taskName the task name
	 * @param args the positional arguments; values are written as JSON
	 * @param kwargs the keyword arguments; values are written as JSON
	 * @param options how to send it
	 * @return the result handle
	 */
	public AsyncResult send(String taskName, List<?> args, Map<String, ?> kwargs, SendOptions options) {
		Assert.hasText(taskName, "'taskName' must not be empty");
		Assert.notNull(args, "'args' must not be null");
		Assert.notNull(kwargs, "'kwargs' must not be null");
		Assert.notNull(options, "'options' must not be null");
		String queue = this.router.route(taskName, options.queue());
		TaskMessage message = newMessage(taskName, args, kwargs, options, queue);
		EagerRunner eager = this.eager;
		if (eager != null) {
			return eager.apply(message);
		}
		publish(queue, message);
		logger.debug("Task {}[{}] sent to queue '{}'", taskName, message.id(), queue);
		EventDispatcher sentEvents = this.sentEvents;
		if (sentEvents != null) {
			sentEvents.send("task-sent", sentEventFields(message, queue));
		}
		return new AsyncResult(message.id(), this.backend);
	}

	private TaskMessage newMessage(String taskName, List<?> args, Map<String, ?> kwargs, SendOptions options,
			String queue) {
		Instant now = Instant.now();
		return TaskMessage.builder(taskName)
			.id(options.taskId())
			.args(Json.toValues(args))
			.kwargs(Json.toValueMap(kwargs))
			.queue(queue)
			.priority((options.priority() != null) ? options.priority() : 0)
			.eta(options.etaFrom(now))
			.expires(options.expiresFrom(now))
			.ignoreResult(options.ignoreResult())
			.parent(options.parentId(), options.rootId())
			.timeLimit(SendOptions.seconds(options.timeLimit()), SendOptions.seconds(options.softTimeLimit()))
			.timezone(this.timezone)
			.build();
	}

	private static Map<String, @Nullable Object> sentEventFields(TaskMessage message, String queue) {
		TaskHeaders headers = message.headers();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", headers.id());
		fields.put("root_id", headers.rootId());
		fields.put("parent_id", headers.parentId());
		fields.put("name", headers.task());
		fields.put("args", headers.argsRepr());
		fields.put("kwargs", headers.kwargsRepr());
		fields.put("retries", headers.retries());
		fields.put("eta", headers.eta());
		fields.put("expires", headers.expires());
		fields.put("queue", queue);
		fields.put("exchange", "");
		fields.put("routing_key", queue);
		return fields;
	}

	/**
	 * Send a {@code task-sent} event for every task sent from now on, or stop sending
	 * them (Celery's {@code task_send_sent_event}). The events name this process
	 * {@code gen<pid>@<host>}.
	 * @param sendSentEvent whether to send them
	 * @throws IllegalArgumentException if the broker has no events (neither
	 * {@code redis://} nor {@code memory://})
	 */
	public void setSendSentEvent(boolean sendSentEvent) {
		this.sentEvents = sendSentEvent
				? new EventDispatcher(Fanout.of(this.broker), NodeNames.processName(), new LamportClock()) : null;
	}

	/**
	 * Run every task sent from now on in the calling thread instead of sending it
	 * (Celery's {@code task_always_eager}), or send them again.
	 * @param eager the runner, or {@code null} to send tasks to the broker
	 */
	public void setEager(@Nullable EagerRunner eager) {
		this.eager = eager;
	}

	/**
	 * Return whether tasks run in the calling thread instead of being sent.
	 * @return whether a runner is set with {@link #setEager}
	 */
	public boolean isEager() {
		return this.eager != null;
	}

	/**
	 * Return a handle on the result of a task sent earlier, by id.
	 * @param taskId the task id
	 * @return the result handle
	 */
	public AsyncResult result(String taskId) {
		return new AsyncResult(taskId, this.backend);
	}

	/**
	 * Return the broker this client sends to.
	 * @return the broker
	 */
	public Broker getBroker() {
		return this.broker;
	}

	/**
	 * Return the backend results are read from.
	 * @return the result backend
	 */
	public ResultBackend getBackend() {
		return this.backend;
	}

	/**
	 * Return the queue of a task as {@link #send} routes it (for canvas).
	 * @param taskName the task name
	 * @param queue the queue the caller asked for, or {@code null}
	 * @return the queue
	 */
	String route(String taskName, @Nullable String queue) {
		return this.router.route(taskName, queue);
	}

	/**
	 * Return the zone dates are written in (Celery's {@code timezone}).
	 * @return the zone
	 */
	ZoneId timezone() {
		return this.timezone;
	}

	private void publish(String queue, TaskMessage message) {
		String envelope = this.codec.encode(message);
		this.broker.declareQueue(queue);
		if (!message.headers().ignoreResult()) {
			// As Celery's on_task_call: listen for the result before it can exist.
			this.backend.onTaskCall(message.id());
		}
		this.broker.publish(queue, message.properties().priority(), envelope);
	}

	/**
	 * Publish a message built elsewhere, as {@link #send} publishes its own (for canvas).
	 * @param message the message, routed by its routing key
	 * @param parent the result the new one follows, or {@code null}
	 * @return the result handle
	 */
	AsyncResult publish(TaskMessage message, @Nullable AsyncResult parent) {
		String queue = message.properties().routingKey();
		publish(queue, message);
		logger.debug("Task {}[{}] sent to queue '{}'", message.taskName(), message.id(), queue);
		EventDispatcher sentEvents = this.sentEvents;
		if (sentEvents != null) {
			sentEvents.send("task-sent", sentEventFields(message, queue));
		}
		return new AsyncResult(message.id(), this.backend, parent);
	}

}
