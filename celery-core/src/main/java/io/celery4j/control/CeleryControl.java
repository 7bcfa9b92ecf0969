package io.celery4j.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.broker.Broker;
import io.celery4j.events.EventDispatcher;
import io.celery4j.events.Fanout;
import io.celery4j.events.FanoutMessage;
import io.celery4j.events.LamportClock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Remote control of Celery workers, Java and Python alike: broadcasts a command on the
 * {@code celery.pidbox} exchange and collects the replies that arrive within a timeout.
 * Counterpart of Celery's {@code app.control} ({@code celery.app.control.Control} and
 * {@code Inspect}); wire details in PROTOCOL.md section 7.
 * <p>
 * Every query returns the replies by node name, in the order they arrived, each value as
 * the worker sent it (plain JSON values: maps, lists, strings, numbers). A worker that
 * does not answer within the timeout is simply missing.
 *
 * <pre class="code">
 * CeleryControl control = new CeleryControl(broker);
 * Map&lt;String, Object&gt; pongs = control.ping();              // {celery@host={ok=pong}}
 * Map&lt;String, Object&gt; stats = control.stats();
 * control.revoke(taskId, false);
 * </pre>
 */
public class CeleryControl {

	/** Celery's default timeout of {@code inspect} and {@code control} calls. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(CeleryControl.class);

	private final Broker broker;

	private volatile @Nullable Fanout fanout;

	private volatile @Nullable ReplyQueues replies;

	private final Duration timeout;

	private final LamportClock clock;

	/**
	 * Create a control client with Celery's default timeout of one second.
	 * @param broker the broker the workers listen on ({@code redis://} or
	 * {@code memory://})
	 */
	public CeleryControl(Broker broker) {
		this(broker, DEFAULT_TIMEOUT);
	}

	/**
	 * Create a control client.
	 * @param broker the broker the workers listen on ({@code redis://} or
	 * {@code memory://}; other brokers fail on the first call)
	 * @param timeout how long each call collects replies
	 */
	public CeleryControl(Broker broker, Duration timeout) {
		this(broker, timeout, new LamportClock());
	}

	/**
	 * Create a control client that shares a worker's clock (mingle).
	 */
	CeleryControl(Broker broker, Duration timeout, LamportClock clock) {
		Assert.notNull(broker, "'broker' must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.broker = broker;
		this.timeout = timeout;
		this.clock = clock;
	}

	/**
	 * Ping every worker ({@code celery inspect ping}, {@code celery status}).
	 * @return {@code {"ok": "pong"}} by node name
	 */
	public Map<String, @Nullable Object> ping() {
		return inspect("ping");
	}

	/**
	 * Ping some workers; returns as soon as each of them answered.
	 * @param destination the node names
	 * @return {@code {"ok": "pong"}} by node name
	 */
	public Map<String, @Nullable Object> ping(List<String> destination) {
		return broadcast("ping", Map.of(), destination, true, this.timeout);
	}

	/**
	 * Ask every worker for its statistics ({@code celery inspect stats}).
	 * @return the statistics by node name: {@code total}, {@code pid}, {@code clock},
	 * {@code uptime}, {@code pool}, {@code broker}, {@code prefetch_count}, ...
	 */
	public Map<String, @Nullable Object> stats() {
		return inspect("stats");
	}

	/**
	 * Ask every worker for the names of its tasks ({@code celery inspect registered}).
	 * @return the lists of task names by node name
	 */
	public Map<String, @Nullable Object> registered() {
		return inspect("registered");
	}

	/**
	 * Ask every worker for its running tasks ({@code celery inspect active}).
	 * @return the lists of requests by node name
	 */
	public Map<String, @Nullable Object> active() {
		return inspect("active");
	}

	/**
	 * Ask every worker for the tasks it received and has not started
	 * ({@code celery inspect reserved}).
	 * @return the lists of requests by node name
	 */
	public Map<String, @Nullable Object> reserved() {
		return inspect("reserved");
	}

	/**
	 * Ask every worker for the tasks it holds until their eta
	 * ({@code celery inspect scheduled}).
	 * @return the lists of {@code {eta, priority, request}} by node name
	 */
	public Map<String, @Nullable Object> scheduled() {
		return inspect("scheduled");
	}

	/**
	 * Ask every worker which queues it consumes from ({@code celery inspect
	 * active_queues}).
	 * @return the lists of kombu queue descriptions by node name
	 */
	public Map<String, @Nullable Object> activeQueues() {
		return inspect("active_queues");
	}

	/**
	 * Ask every worker for its revoked task ids ({@code celery inspect revoked}).
	 * @return the lists of task ids by node name
	 */
	public Map<String, @Nullable Object> revoked() {
		return inspect("revoked");
	}

	/**
	 * Run an inspect command on every worker with Celery's default arguments.
	 * @param command the command, for example {@code stats} or {@code active_queues}
	 * @return the replies by node name
	 */
	public Map<String, @Nullable Object> inspect(String command) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		if (command.equals("registered")) {
			arguments.put("taskinfoitems", List.of());
		}
		else if (command.equals("active")) {
			arguments.put("safe", null);
		}
		return broadcast(command, arguments, null, true, this.timeout);
	}

	/**
	 * Revoke a task on every worker ({@code celery control revoke}): a queued or
	 * scheduled task will not run; with {@code terminate} a running one is stopped.
	 * @param taskId the task id
	 * @param terminate whether to stop the task if it runs now
	 * @return the replies by node name, for example {@code {"ok": "tasks <id> flagged as
	 * revoked"}}
	 */
	public Map<String, @Nullable Object> revoke(String taskId, boolean terminate) {
		return revoke(List.of(taskId), terminate, "SIGTERM");
	}

	/**
	 * Revoke tasks on every worker.
	 * @param taskIds the task ids
	 * @param terminate whether to stop them if they run now
	 * @param signal the signal name Python workers send to the pool process, for example
	 * {@code SIGTERM} or {@code SIGKILL}; Java workers interrupt the task's thread
	 * @return the replies by node name
	 */
	public Map<String, @Nullable Object> revoke(Collection<String> taskIds, boolean terminate, String signal) {
		Assert.notEmpty(taskIds, "'taskIds' must not be empty");
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("task_id", (taskIds.size() == 1) ? taskIds.iterator().next() : new ArrayList<>(taskIds));
		arguments.put("terminate", terminate);
		arguments.put("signal", signal);
		return broadcast("revoke", arguments, null, true, this.timeout);
	}

	/**
	 * Set a task's rate limit on every worker ({@code celery control rate_limit}).
	 * @param taskName the task name
	 * @param rateLimit the new limit, for example {@code 10/s} or {@code 100/m};
	 * {@code null} or {@code 0} removes it
	 * @return the replies by node name: {@code {"ok": "new rate limit set
	 * successfully"}}, {@code {"error": "unknown task"}}, ...
	 */
	public Map<String, @Nullable Object> rateLimit(String taskName, @Nullable String rateLimit) {
		Assert.hasText(taskName, "'taskName' must not be empty");
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("task_name", taskName);
		arguments.put("rate_limit", rateLimit);
		return broadcast("rate_limit", arguments, null, true, this.timeout);
	}

	/**
	 * Set a task's time limits on every worker ({@code celery control time_limit}).
	 * @param taskName the task name
	 * @param soft the soft limit, {@code null} for none
	 * @param hard the hard limit, {@code null} for none
	 * @return the replies by node name: {@code {"ok": "time limits set successfully"}},
	 * {@code {"error": "unknown task"}}
	 */
	public Map<String, @Nullable Object> timeLimit(String taskName, @Nullable Duration soft, @Nullable Duration hard) {
		Assert.hasText(taskName, "'taskName' must not be empty");
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("task_name", taskName);
		arguments.put("soft", (soft != null) ? soft.toNanos() / 1e9 : null);
		arguments.put("hard", (hard != null) ? hard.toNanos() / 1e9 : null);
		return broadcast("time_limit", arguments, null, true, this.timeout);
	}

	/**
	 * Ask every worker to consume from a queue too ({@code celery control
	 * add_consumer}).
	 * @param queue the queue
	 * @return the replies by node name: {@code {"ok": "add consumer <queue>"}}
	 */
	public Map<String, @Nullable Object> addConsumer(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		return broadcast("add_consumer", Map.of("queue", queue), null, true, this.timeout);
	}

	/**
	 * Ask every worker to stop consuming from a queue ({@code celery control
	 * cancel_consumer}).
	 * @param queue the queue
	 * @return the replies by node name: {@code {"ok": "no longer consuming from
	 * <queue>"}}
	 */
	public Map<String, @Nullable Object> cancelConsumer(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		return broadcast("cancel_consumer", Map.of("queue", queue), null, true, this.timeout);
	}

	/**
	 * Ask workers to shut down ({@code celery control shutdown}). Python workers and Java
	 * workers with {@code celery.worker.remote-shutdown=true} stop without replying;
	 * other Java workers reply with an error.
	 * @param destination the node names
	 * @return the replies by node name: only refusals
	 */
	public Map<String, @Nullable Object> shutdown(List<String> destination) {
		Assert.notEmpty(destination, "'destination' must not be empty");
		return broadcast("shutdown", Map.of(), destination, true, this.timeout);
	}

	/**
	 * Ask every worker to send a {@code worker-heartbeat} event now, as
	 * {@code celery events} does when it starts.
	 */
	public void heartbeat() {
		broadcast("heartbeat", Map.of(), null, false, this.timeout);
	}

	/**
	 * Broadcast any command.
	 * @param command the command, for example {@code rate_limit}
	 * @param arguments the command's arguments, as Celery names them
	 * @param destination node names that should handle it, {@code null} for all
	 * @param reply whether to collect replies
	 * @param timeout how long to collect replies
	 * @return the replies by node name, empty when none were asked for
	 */
	public Map<String, @Nullable Object> broadcast(String command, Map<String, ? extends @Nullable Object> arguments,
			@Nullable List<String> destination, boolean reply, Duration timeout) {
		Assert.hasText(command, "'command' must not be empty");
		Assert.notNull(arguments, "'arguments' must not be null");
		String oid = reply ? UUID.randomUUID().toString() : null;
		String ticket = reply ? UUID.randomUUID().toString() : null;
		ControlRequest request = new ControlRequest(command, new LinkedHashMap<>(arguments),
				(destination != null) ? List.copyOf(destination) : null, null, null, ticket, oid, this.clock.forward());
		double expires = EventDispatcher.epochSeconds(Instant.now().plus(timeout));
		Fanout fanout = fanout();
		if (oid == null) {
			fanout.publish(ControlRequest.EXCHANGE, "", request.encode(expires));
			return Map.of();
		}
		ReplyQueues replies = replies();
		replies.bind(oid);
		try {
			fanout.publish(ControlRequest.EXCHANGE, "", request.encode(expires));
			return collect(replies, oid, ticket, (destination != null) ? destination.size() : Integer.MAX_VALUE,
					timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Map.of();
		}
		finally {
			replies.unbind(oid);
		}
	}

	private Fanout fanout() {
		Fanout fanout = this.fanout;
		if (fanout == null) {
			fanout = Fanout.of(this.broker);
			this.fanout = fanout;
		}
		return fanout;
	}

	private ReplyQueues replies() {
		ReplyQueues replies = this.replies;
		if (replies == null) {
			replies = ReplyQueues.of(this.broker);
			this.replies = replies;
		}
		return replies;
	}

	private Map<String, @Nullable Object> collect(ReplyQueues replies, String oid, @Nullable String ticket, int limit,
			Duration timeout) throws InterruptedException {
		Map<String, @Nullable Object> collected = new LinkedHashMap<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (collected.size() < limit) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				break;
			}
			String envelope = replies.pop(oid, Duration.ofNanos(remaining));
			if (envelope != null) {
				addReply(envelope, ticket, collected);
			}
		}
		return Collections.unmodifiableMap(collected);
	}

	private void addReply(String envelope, @Nullable String ticket, Map<String, @Nullable Object> collected) {
		try {
			FanoutMessage message = FanoutMessage.decode(envelope);
			if (!String.valueOf(message.headers().get("ticket")).equals(ticket)) {
				return;
			}
			if (message.headers().get("clock") instanceof Number clock) {
				this.clock.adjust(clock.longValue());
			}
			if (message.body() instanceof Map<?, ?> body) {
				body.forEach((node, value) -> collected.put(String.valueOf(node), value));
			}
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Remote control reply skipped: {}", ex.getMessage());
		}
	}

}
