package io.celery4j.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.celery4j.task.PythonExceptions;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskDefinition;
import io.celery4j.worker.WorkerContainer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote control commands a Java worker answers, with Celery's replies. Counterpart
 * of {@code celery.worker.control}.
 */
final class ControlCommands {

	/** What a command returns when it sends no reply at all ({@code shutdown}). */
	static final Object NO_REPLY = new Object();

	private static final Logger logger = LoggerFactory.getLogger(ControlCommands.class);

	private static final Map<String, Integer> SIGNALS = Map.of("SIGHUP", 1, "SIGINT", 2, "SIGQUIT", 3, "SIGKILL", 9,
			"SIGUSR1", 10, "SIGUSR2", 12, "SIGTERM", 15);

	private final WorkerContainer worker;

	private final boolean remoteShutdown;

	ControlCommands(WorkerContainer worker, boolean remoteShutdown) {
		this.worker = worker;
		this.remoteShutdown = remoteShutdown;
	}

	/**
	 * Run a command.
	 * @return the reply value, {@code null} for commands that reply nothing but
	 * {@code None}, or {@link #NO_REPLY}
	 */
	@Nullable Object handle(String method, Map<String, @Nullable Object> arguments) {
		try {
			return run(method, arguments);
		}
		catch (RuntimeException ex) {
			logger.warn("Remote control command '{}' failed: {}", method, ex.getMessage());
			return error(PythonExceptions.repr(ex));
		}
	}

	private @Nullable Object run(String method, Map<String, @Nullable Object> arguments) {
		String node = this.worker.getOptions().nodeName();
		return switch (method) {
			case "ping" -> ok("pong");
			case "stats" -> WorkerInfo.stats(this.worker);
			case "active" -> WorkerInfo.requests(this.worker.getState().getActive(), node, true);
			case "reserved" -> WorkerInfo.requests(this.worker.getState().getReserved(), node, false);
			case "scheduled" -> WorkerInfo.scheduled(this.worker.getState().getScheduled(), node);
			case "revoked" -> this.worker.getRevoked().ids();
			case "registered" -> registered();
			case "active_queues" -> WorkerInfo.activeQueues(this.worker.getQueues());
			case "clock" -> Map.of("clock", this.worker.getClock().value());
			case "revoke" -> revoke(arguments);
			case "terminate" -> terminate(arguments);
			case "rate_limit" -> rateLimit(arguments);
			case "time_limit" -> timeLimit(arguments);
			case "add_consumer" -> addConsumer(arguments);
			case "cancel_consumer" -> cancelConsumer(arguments);
			case "heartbeat" -> heartbeat();
			case "hello" -> hello(arguments);
			case "shutdown" -> shutdown();
			// Python's handler lookup fails with a KeyError for an unknown command.
			default -> error("KeyError('" + method + "')");
		};
	}

	private List<String> registered() {
		TreeSet<String> names = new TreeSet<>();
		for (TaskDefinition task : this.worker.getRegistry().all()) {
			if (!task.name().startsWith("celery.")) {
				RateLimit rateLimit = task.options().rateLimit();
				names.add((rateLimit != null) ? task.name() + " [rate_limit=" + rateLimit.expression() + "]"
						: task.name());
			}
		}
		return new ArrayList<>(names);
	}

	private Map<String, Object> revoke(Map<String, @Nullable Object> arguments) {
		List<String> ids = new ArrayList<>();
		Object taskId = arguments.get("task_id");
		if (taskId instanceof List<?> list) {
			list.forEach((id) -> ids.add(String.valueOf(id)));
		}
		else if (taskId != null) {
			ids.add(taskId.toString());
		}
		boolean terminate = Boolean.TRUE.equals(arguments.get("terminate"));
		if (!terminate) {
			logger.info("Tasks flagged as revoked: {}", String.join(", ", ids));
			this.worker.revoke(ids, false, 0);
			return ok("tasks " + String.join(", ", ids) + " flagged as revoked");
		}
		List<String> terminated = this.worker.revoke(ids, true, signum(arguments.get("signal")));
		return ok(terminated.isEmpty() ? "terminate: tasks unknown" : "terminate: " + String.join(", ", terminated));
	}

	private Map<String, Object> terminate(Map<String, @Nullable Object> arguments) {
		Map<String, @Nullable Object> revoke = new LinkedHashMap<>(arguments);
		revoke.put("terminate", true);
		return revoke(revoke);
	}

	private static int signum(@Nullable Object signal) {
		if (signal instanceof Number number) {
			return number.intValue();
		}
		if (signal == null) {
			return 15;
		}
		String name = signal.toString().toUpperCase(Locale.ROOT);
		Integer signum = SIGNALS.get(name.startsWith("SIG") ? name : "SIG" + name);
		if (signum == null) {
			throw new IllegalArgumentException("Unknown signal name '" + signal + "'; use for example SIGTERM");
		}
		return signum;
	}

	private Map<String, Object> rateLimit(Map<String, @Nullable Object> arguments) {
		return TaskLimits.rateLimit(this.worker.getRegistry(), String.valueOf(arguments.get("task_name")),
				arguments.get("rate_limit"));
	}

	private Map<String, Object> timeLimit(Map<String, @Nullable Object> arguments) {
		return TaskLimits.timeLimit(this.worker.getRegistry(), String.valueOf(arguments.get("task_name")),
				arguments.get("soft"), arguments.get("hard"));
	}

	private Map<String, Object> addConsumer(Map<String, @Nullable Object> arguments) {
		String queue = requiredQueue(arguments);
		if (this.worker.addQueue(queue)) {
			logger.info("Started consuming from queue '{}' (remote control)", queue);
		}
		return ok("add consumer " + queue);
	}

	private Map<String, Object> cancelConsumer(Map<String, @Nullable Object> arguments) {
		String queue = requiredQueue(arguments);
		if (this.worker.cancelQueue(queue)) {
			logger.info("Stopped consuming from queue '{}' (remote control)", queue);
		}
		return ok("no longer consuming from " + queue);
	}

	private static String requiredQueue(Map<String, @Nullable Object> arguments) {
		Object queue = arguments.get("queue");
		if (queue == null || queue.toString().isBlank()) {
			throw new IllegalArgumentException("Argument 'queue' is missing; name the queue");
		}
		return queue.toString();
	}

	private @Nullable Object heartbeat() {
		logger.debug("Heartbeat requested by remote.");
		this.worker.sendHeartbeat();
		return null;
	}

	private @Nullable Object hello(Map<String, @Nullable Object> arguments) {
		Object from = arguments.get("from_node");
		if (from == null || from.toString().equals(this.worker.getOptions().nodeName())) {
			return null;
		}
		logger.info("sync with {}", from);
		if (arguments.get("revoked") instanceof Map<?, ?> revoked && !revoked.isEmpty()) {
			List<String> ids = new ArrayList<>();
			revoked.keySet().forEach((id) -> ids.add(String.valueOf(id)));
			this.worker.getRevoked().addAll(ids);
		}
		Map<String, Object> reply = new LinkedHashMap<>();
		reply.put("revoked", this.worker.getRevoked().toMingleData());
		reply.put("clock", this.worker.getClock().forward());
		return reply;
	}

	private Object shutdown() {
		if (!this.remoteShutdown) {
			logger.warn("Worker {} ignored a shutdown from remote: celery.worker.remote-shutdown is off",
					this.worker.getOptions().nodeName());
			return error("shutdown from remote is disabled on this worker; set celery.worker.remote-shutdown=true");
		}
		logger.warn("Got shutdown from remote");
		// Stop on another thread: the stop closes the subscription this command came on.
		Thread stopper = new Thread(this.worker::stop, "celery-remote-shutdown");
		stopper.start();
		return NO_REPLY;
	}

	private static Map<String, Object> ok(String value) {
		return Map.of("ok", value);
	}

	private static Map<String, Object> error(String value) {
		return Map.of("error", value);
	}

}
