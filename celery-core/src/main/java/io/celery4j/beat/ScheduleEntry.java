package io.celery4j.beat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One entry of the beat schedule, Celery's {@code ScheduleEntry}: which task to send with
 * which arguments and options, and when. The task need not run in this application: any
 * worker on the broker, Java or Python, may run it.
 *
 * <pre class="code">
 * new ScheduleEntry("cleanup", "tasks.cleanup", CrontabSchedule.parse("0 4 * * *", zone),
 *         List.of(), Map.of("days", 30), "maintenance", Duration.ofHours(1));
 * </pre>
 *
 * @param name the entry name, unique in the schedule (the key of Celery's
 * {@code beat_schedule}); beat keeps the entry's last run under it
 * @param task the task name
 * @param schedule when the task runs
 * @param args the positional arguments, written as JSON
 * @param kwargs the keyword arguments, written as JSON
 * @param queue the queue to send to, or {@code null} for the task's route
 * @param expires how long after sending the task expires, or {@code null} for never
 */
public record ScheduleEntry(String name, String task, Schedule schedule, List<@Nullable Object> args,
		Map<String, @Nullable Object> kwargs, @Nullable String queue, @Nullable Duration expires) {

	public ScheduleEntry {
		Assert.hasText(name, "'name' must not be empty");
		Assert.hasText(task, () -> "Schedule entry '" + name + "' names no task");
		Assert.notNull(schedule, "'schedule' must not be null");
		Assert.isTrue(expires == null || (!expires.isNegative() && !expires.isZero()),
				() -> "Schedule entry '" + name + "' has expires " + expires + "; expected a positive duration");
		args = Collections.unmodifiableList(new ArrayList<>((args != null) ? args : List.of()));
		kwargs = Collections.unmodifiableMap(new LinkedHashMap<>((kwargs != null) ? kwargs : Map.of()));
		queue = (queue != null && !queue.isEmpty()) ? queue : null;
	}

	/**
	 * Create an entry without arguments or options.
	 * @param name the entry name
	 * @param task the task name
	 * @param schedule when the task runs
	 */
	public ScheduleEntry(String name, String task, Schedule schedule) {
		this(name, task, schedule, List.of(), Map.of(), null, null);
	}

	@Override
	public String toString() {
		return "<ScheduleEntry: " + this.name + " " + this.task + " " + this.schedule + ">";
	}

}
