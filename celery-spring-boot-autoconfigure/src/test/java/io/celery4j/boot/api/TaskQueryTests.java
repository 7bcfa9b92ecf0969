package io.celery4j.boot.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TaskQuery}, the filters of Flower's {@code GET /api/tasks}.
 */
class TaskQueryTests {

	// 2026-11-25 10:00 UTC and one hour later, most recent first as the state gives them.
	private final List<Map<String, @Nullable Object>> tasks = List.of(
			task("c", "tasks.mul", "FAILURE", "py@host", 1795600800.0 + 3600),
			task("b", "tasks.add", "SUCCESS", "java@host", 1795600800.0 + 60),
			task("a", "tasks.add", "STARTED", "java@host", 1795600800.0));

	@Test
	void keepsTheStatesOrderWithoutSortBy() {
		assertThat(query(null, null, null, null, null, null, null, null).apply(this.tasks)).containsOnlyKeys("c", "b",
				"a");
		assertThat(query(null, null, null, null, null, null, null, null).apply(this.tasks).keySet())
			.containsExactly("c", "b", "a");
	}

	@Test
	void filtersByWorkerNameTaskNameAndStates() {
		assertThat(query(null, null, "java@host", null, null, null, null, null).apply(this.tasks).keySet())
			.containsExactly("b", "a");
		assertThat(query(null, null, null, "tasks.mul", null, null, null, null).apply(this.tasks).keySet())
			.containsExactly("c");
		assertThat(query(null, null, null, null, "SUCCESS,FAILURE", null, null, null).apply(this.tasks).keySet())
			.containsExactly("c", "b");
	}

	@Test
	void filtersByReceivedTimeInFlowersFormat() {
		assertThat(query(null, null, null, null, null, "2026-11-25 10:01", null, null).apply(this.tasks).keySet())
			.containsExactly("c", "b");
		assertThat(query(null, null, null, null, null, null, "2026-11-25 10:30", null).apply(this.tasks).keySet())
			.containsExactly("b", "a");
	}

	@Test
	void sortsAscendingOrDescendingThenPages() {
		assertThat(query(null, null, null, null, null, null, null, "received").apply(this.tasks).keySet())
			.containsExactly("a", "b", "c");
		assertThat(query("1", "1", null, null, null, null, null, "-received").apply(this.tasks).keySet())
			.containsExactly("b");
		assertThat(query(null, null, null, null, null, null, null, "name").apply(this.tasks).keySet())
			.startsWith("b", "a")
			.endsWith("c");
	}

	@Test
	void rejectsBadParametersNamingThem() {
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> query("-1", null, null, null, null, null, null, null))
			.withMessageContaining("'limit'");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> query(null, null, null, null, null, "yesterday", null, null))
			.withMessageContaining("'received_start'")
			.withMessageContaining("yyyy-MM-dd HH:mm");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> query(null, null, null, null, null, null, null, "runtime"))
			.withMessageContaining("'sort_by'");
	}

	private static TaskQuery query(@Nullable String limit, @Nullable String offset, @Nullable String workername,
			@Nullable String taskname, @Nullable String state, @Nullable String receivedStart,
			@Nullable String receivedEnd, @Nullable String sortBy) {
		return TaskQuery.parse(limit, offset, workername, taskname, state, receivedStart, receivedEnd, sortBy);
	}

	private static Map<String, @Nullable Object> task(String id, String name, String state, String worker,
			double received) {
		Map<String, @Nullable Object> task = new LinkedHashMap<>();
		task.put("uuid", id);
		task.put("name", name);
		task.put("state", state);
		task.put("worker", worker);
		task.put("received", received);
		return task;
	}

}
