package io.celery4j.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The tasks seen in {@code task-*} events, Java and Python workers' alike, with their
 * latest state and what each event told: a bounded in-memory view for monitoring, as
 * Flower keeps one. Feed it from an {@link EventReceiver}; when it holds its maximum, the
 * task seen least recently is forgotten. Counterpart of the task half of Celery's
 * {@code celery.events.state.State} (Flower's {@code max_tasks}). Thread-safe.
 *
 * <pre class="code">
 * TaskEventState tasks = new TaskEventState(10_000);
 * EventReceiver receiver = EventReceiver.start(Fanout.of(broker), tasks);
 * tasks.find(taskId);
 * </pre>
 */
public final class TaskEventState implements Consumer<Event> {

	/** Flower's default {@code max_tasks}. */
	public static final int DEFAULT_MAX_TASKS = 10_000;

	private static final Map<String, String> STATES = Map.of("task-sent", "PENDING", "task-received", "RECEIVED",
			"task-started", "STARTED", "task-succeeded", "SUCCESS", "task-failed", "FAILURE", "task-retried", "RETRY",
			"task-revoked", "REVOKED", "task-rejected", "REJECTED");

	/** Fields a task takes from its events, as Celery's {@code Task._fields}. */
	private static final List<String> FIELDS = List.of("name", "args", "kwargs", "eta", "expires", "retries", "result",
			"exception", "traceback", "runtime", "exchange", "routing_key", "root_id", "parent_id", "terminated",
			"signum", "expired", "requeue");

	private static final Set<String> READY = Set.of("SUCCESS", "FAILURE", "REVOKED", "REJECTED");

	private final int maxTasks;

	/** The least recently updated task first. */
	private final LinkedHashMap<String, Map<String, @Nullable Object>> tasks = new LinkedHashMap<>();

	/**
	 * Create a state that keeps at most {@link #DEFAULT_MAX_TASKS} tasks.
	 */
	public TaskEventState() {
		this(DEFAULT_MAX_TASKS);
	}

	/**
	 * Create a state.
	 * @param maxTasks how many tasks to keep at most
	 */
	public TaskEventState(int maxTasks) {
		Assert.isTrue(maxTasks > 0, "'maxTasks' must be positive");
		this.maxTasks = maxTasks;
	}

	/**
	 * Take in an event; events other than {@code task-*} ones are ignored.
	 * @param event the event
	 */
	@Override
	public void accept(Event event) {
		String state = STATES.get(event.type());
		String taskId = event.taskId();
		if (state == null || taskId == null) {
			return;
		}
		synchronized (this.tasks) {
			// Taken out and put back: the task moves to the most recently updated end.
			Map<String, @Nullable Object> task = this.tasks.remove(taskId);
			if (task == null) {
				task = newTask(taskId);
			}
			update(task, event, state);
			this.tasks.put(taskId, task);
			if (this.tasks.size() > this.maxTasks) {
				Iterator<String> eldest = this.tasks.keySet().iterator();
				eldest.next();
				eldest.remove();
			}
		}
	}

	private static Map<String, @Nullable Object> newTask(String taskId) {
		Map<String, @Nullable Object> task = new LinkedHashMap<>();
		task.put("uuid", taskId);
		task.put("name", null);
		task.put("state", "PENDING");
		for (String time : List.of("sent", "received", "started", "succeeded", "failed", "retried", "revoked",
				"rejected")) {
			task.put(time, null);
		}
		for (String field : FIELDS) {
			task.putIfAbsent(field, null);
		}
		task.put("timestamp", null);
		task.put("worker", null);
		task.put("clock", null);
		return task;
	}

	private static void update(Map<String, @Nullable Object> task, Event event, String state) {
		String type = event.type();
		task.put(switch (type) {
			case "task-sent" -> "sent";
			case "task-received" -> "received";
			case "task-started" -> "started";
			case "task-succeeded" -> "succeeded";
			case "task-failed" -> "failed";
			case "task-retried" -> "retried";
			case "task-revoked" -> "revoked";
			default -> "rejected";
		}, event.timestamp());
		for (String field : FIELDS) {
			if (event.fields().containsKey(field)) {
				task.put(field, event.get(field));
			}
		}
		// Events can arrive out of order (the client's task-sent after the worker's
		// task-received): a finished task stays finished, as in Celery's state.
		boolean finished = READY.contains(String.valueOf(task.get("state")));
		if (!finished || READY.contains(state)) {
			task.put("state", state);
			task.put("timestamp", event.timestamp());
		}
		if (!type.equals("task-sent")) {
			task.put("worker", event.hostname());
		}
		else {
			task.put("client", event.hostname());
			task.put("queue", event.get("queue"));
		}
		task.put("clock", event.clock());
	}

	/**
	 * Return a task.
	 * @param taskId the task id
	 * @return a copy of what is known of it: {@code uuid}, {@code name}, {@code state},
	 * the times of each event ({@code received}, {@code started}, ..., epoch seconds),
	 * {@code args}, {@code kwargs}, {@code result}, {@code exception}, {@code worker},
	 * ...; {@code null} when no event named it (or it was forgotten)
	 */
	public @Nullable Map<String, @Nullable Object> find(String taskId) {
		synchronized (this.tasks) {
			Map<String, @Nullable Object> task = this.tasks.get(taskId);
			return (task != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(task)) : null;
		}
	}

	/**
	 * Return every task known, the most recently updated first.
	 * @return copies of the tasks
	 */
	public List<Map<String, @Nullable Object>> tasks() {
		List<Map<String, @Nullable Object>> copies = new ArrayList<>();
		synchronized (this.tasks) {
			this.tasks.values().forEach((task) -> copies.add(Collections.unmodifiableMap(new LinkedHashMap<>(task))));
		}
		Collections.reverse(copies);
		return copies;
	}

	/**
	 * Return how many tasks are known.
	 * @return the count
	 */
	public int size() {
		synchronized (this.tasks) {
			return this.tasks.size();
		}
	}

}
