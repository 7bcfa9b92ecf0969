package io.celery4j.boot.api;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * The filters of Flower's {@code GET /api/tasks}: {@code limit}, {@code offset},
 * {@code workername}, {@code taskname}, {@code state} (one or comma-separated),
 * {@code received_start} and {@code received_end} ({@code yyyy-MM-dd HH:mm}, UTC) and
 * {@code sort_by} ({@code name}, {@code state}, {@code received}, {@code started}, with
 * {@code -} for descending). Counterpart of Flower's {@code iter_tasks}.
 *
 * @param limit at most this many tasks, all when {@code null}
 * @param offset tasks to skip
 * @param workername only tasks of this worker
 * @param taskname only tasks of this name
 * @param states only tasks in these states, all when empty
 * @param receivedStart only tasks received after this time (epoch seconds)
 * @param receivedEnd only tasks received before this time (epoch seconds)
 * @param sortBy the field to sort by, {@code -} first for descending
 */
record TaskQuery(@Nullable Integer limit, int offset, @Nullable String workername, @Nullable String taskname,
		Set<String> states, @Nullable Double receivedStart, @Nullable Double receivedEnd, @Nullable String sortBy) {

	private static final DateTimeFormatter FLOWER_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private static final Set<String> SORT_FIELDS = Set.of("name", "state", "received", "started");

	static TaskQuery parse(@Nullable String limit, @Nullable String offset, @Nullable String workername,
			@Nullable String taskname, @Nullable String state, @Nullable String receivedStart,
			@Nullable String receivedEnd, @Nullable String sortBy) {
		Integer parsedLimit = (limit != null && !limit.isBlank()) ? count("limit", limit) : null;
		int parsedOffset = (offset != null && !offset.isBlank()) ? count("offset", offset) : 0;
		if (sortBy != null && !sortBy.isBlank() && !SORT_FIELDS.contains(sortBy.replaceFirst("^-", ""))) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "Parameter 'sort_by': expected one of name, state, "
					+ "received, started (with '-' first for descending), got '" + sortBy + "'");
		}
		Set<String> states = (state != null && !state.isBlank()) ? Set.of(state.split("\\s*,\\s*")) : Set.of();
		return new TaskQuery(parsedLimit, parsedOffset, blankToNull(workername), blankToNull(taskname), states,
				date("received_start", receivedStart), date("received_end", receivedEnd), blankToNull(sortBy));
	}

	private static int count(String name, String value) {
		try {
			int count = Integer.parseInt(value.trim());
			if (count < 0) {
				throw new NumberFormatException();
			}
			return count;
		}
		catch (NumberFormatException ex) {
			throw new ApiException(HttpStatus.BAD_REQUEST,
					"Parameter '" + name + "': expected a whole number from 0, got '" + value + "'");
		}
	}

	private static @Nullable Double date(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return (double) LocalDateTime.parse(value.trim(), FLOWER_DATE).toEpochSecond(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "Parameter '" + name
					+ "': expected a UTC date as 'yyyy-MM-dd HH:mm' (Flower's format), got '" + value + "'");
		}
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value != null && !value.isBlank()) ? value : null;
	}

	/**
	 * Apply the query to tasks given the most recently updated first.
	 * @param tasks the tasks
	 * @return the selected tasks by id, in order
	 */
	Map<String, Map<String, @Nullable Object>> apply(List<Map<String, @Nullable Object>> tasks) {
		List<Map<String, @Nullable Object>> sorted = tasks;
		if (this.sortBy != null) {
			String field = this.sortBy.replaceFirst("^-", "");
			Comparator<Map<String, @Nullable Object>> order = (left, right) -> compare(left.get(field),
					right.get(field));
			sorted = tasks.stream().sorted(this.sortBy.startsWith("-") ? order.reversed() : order).toList();
		}
		Map<String, Map<String, @Nullable Object>> selected = new LinkedHashMap<>();
		int skipped = 0;
		for (Map<String, @Nullable Object> task : sorted) {
			if (!matches(task)) {
				continue;
			}
			if (skipped < this.offset) {
				skipped++;
				continue;
			}
			if (this.limit != null && selected.size() >= this.limit) {
				break;
			}
			selected.put(String.valueOf(task.get("uuid")), task);
		}
		return selected;
	}

	private boolean matches(Map<String, @Nullable Object> task) {
		if (this.taskname != null && !this.taskname.equals(task.get("name"))) {
			return false;
		}
		if (this.workername != null && task.get("worker") != null && !this.workername.equals(task.get("worker"))) {
			return false;
		}
		if (!this.states.isEmpty() && !this.states.contains(String.valueOf(task.get("state")))) {
			return false;
		}
		if (task.get("received") instanceof Number received) {
			if (this.receivedStart != null && received.doubleValue() < this.receivedStart) {
				return false;
			}
			return this.receivedEnd == null || received.doubleValue() <= this.receivedEnd;
		}
		return true;
	}

	/** Numbers sort as numbers, the rest as text, missing values first. */
	private static int compare(@Nullable Object left, @Nullable Object right) {
		if (left == null || right == null) {
			return (left == right) ? 0 : (left == null) ? -1 : 1;
		}
		if (left instanceof Number x && right instanceof Number y) {
			return Double.compare(x.doubleValue(), y.doubleValue());
		}
		return String.valueOf(left).compareTo(String.valueOf(right));
	}

}
