package io.celery4j.events;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskEventState}, fed with events as the receiver decodes them,
 * including Python workers' captured ones.
 */
class TaskEventStateTests {

	private final TaskEventState state = new TaskEventState(3);

	@Test
	void followsATaskThroughItsEvents() {
		this.state.accept(event("task-received", "t1", 10.0, "name", "tasks.add", "args", "(2, 3)", "kwargs", "{}"));
		this.state.accept(event("task-started", "t1", 11.0));
		this.state.accept(event("task-succeeded", "t1", 12.0, "result", "5", "runtime", 0.5));
		Map<String, @Nullable Object> task = this.state.find("t1");
		assertThat(task).containsEntry("uuid", "t1")
			.containsEntry("name", "tasks.add")
			.containsEntry("state", "SUCCESS")
			.containsEntry("args", "(2, 3)")
			.containsEntry("result", "5")
			.containsEntry("runtime", 0.5)
			.containsEntry("received", 10.0)
			.containsEntry("started", 11.0)
			.containsEntry("succeeded", 12.0)
			.containsEntry("worker", "w@test");
	}

	@Test
	void aFinishedTaskStaysFinishedWhenAnEarlierEventArrivesLate() {
		this.state.accept(event("task-succeeded", "t1", 12.0, "result", "5"));
		this.state.accept(event("task-sent", "t1", 9.0, "name", "tasks.add", "queue", "celery"));
		assertThat(this.state.find("t1")).containsEntry("state", "SUCCESS")
			.containsEntry("name", "tasks.add")
			.containsEntry("sent", 9.0);
	}

	@Test
	void forgetsTheLeastRecentlyUpdatedTaskBeyondItsMaximum() {
		for (String id : new String[] { "a", "b", "c" }) {
			this.state.accept(event("task-received", id, 1.0));
		}
		this.state.accept(event("task-started", "a", 2.0));
		this.state.accept(event("task-received", "d", 3.0));
		assertThat(this.state.find("b")).isNull();
		assertThat(this.state.tasks()).extracting((task) -> task.get("uuid")).containsExactly("d", "a", "c");
	}

	@Test
	void ignoresWorkerEvents() {
		this.state.accept(new Event("worker-heartbeat", "w@test", Map.of("type", "worker-heartbeat")));
		assertThat(this.state.size()).isZero();
	}

	@Test
	void readsPythonWorkersCapturedEvents() {
		for (String vector : new String[] { "event-task-received.json", "event-task-started.json",
				"event-task-succeeded.json" }) {
			EventReceiver.decode(Vectors.read(vector)).forEach(this.state);
		}
		assertThat(this.state.tasks()).isNotEmpty();
		assertThat(this.state.tasks().get(0).get("worker")).isEqualTo("celery@vm");
	}

	private static Event event(String type, String taskId, double timestamp, Object... fields) {
		Map<String, @Nullable Object> values = new LinkedHashMap<>();
		values.put("hostname", "w@test");
		values.put("uuid", taskId);
		for (int i = 0; i < fields.length; i += 2) {
			values.put((String) fields[i], fields[i + 1]);
		}
		values.put("timestamp", timestamp);
		values.put("type", type);
		return new Event(type, "w@test", values);
	}

}
