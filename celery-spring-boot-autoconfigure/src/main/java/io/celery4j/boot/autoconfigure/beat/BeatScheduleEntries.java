package io.celery4j.boot.autoconfigure.beat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.beat.CrontabSchedule;
import io.celery4j.beat.FixedRateSchedule;
import io.celery4j.beat.Schedule;
import io.celery4j.beat.ScheduleEntry;
import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Turns {@code celery.beat.schedule.<entry>.*} into schedule entries, like Celery's
 * {@code beat_schedule}. A bad value fails start-up naming the property.
 */
final class BeatScheduleEntries {

	private BeatScheduleEntries() {
	}

	static List<ScheduleEntry> create(CeleryProperties properties) {
		List<ScheduleEntry> entries = new ArrayList<>();
		properties.getBeat()
			.getSchedule()
			.forEach((name, entry) -> entries.add(create(name, entry, properties.getTimezone())));
		return entries;
	}

	private static ScheduleEntry create(String name, CeleryProperties.Beat.Entry entry, ZoneId timezone) {
		String property = "celery.beat.schedule." + name;
		if (!StringUtils.hasText(entry.getTask())) {
			throw new InvalidConfigurationPropertyValueException(property + ".task", entry.getTask(),
					"Name the task to send, for example 'tasks.cleanup'.");
		}
		Duration expires = entry.getExpires();
		if (expires != null && (expires.isNegative() || expires.isZero())) {
			throw new InvalidConfigurationPropertyValueException(property + ".expires", expires,
					"Expiry must be a positive duration such as '30s'.");
		}
		return new ScheduleEntry(name, entry.getTask().trim(), schedule(property, entry, timezone),
				values(entry.getArgs()), values(entry.getKwargs()), entry.getQueue(), expires);
	}

	private static Schedule schedule(String property, CeleryProperties.Beat.Entry entry, ZoneId timezone) {
		String cron = entry.getCron();
		Duration every = entry.getEvery();
		if (StringUtils.hasText(cron) == (every != null)) {
			throw new InvalidConfigurationPropertyValueException(property + ".cron", cron,
					(every != null) ? "Set either cron or every, not both."
							: "Set cron (for example '0 4 * * *') or every (for example '10s').");
		}
		if (every != null) {
			if (every.isNegative() || every.isZero()) {
				throw new InvalidConfigurationPropertyValueException(property + ".every", every,
						"The period must be a positive duration such as '10s'.");
			}
			if (entry.getZone() != null) {
				throw new InvalidConfigurationPropertyValueException(property + ".zone", entry.getZone(),
						"A zone applies to cron schedules only; remove it or use cron.");
			}
			return new FixedRateSchedule(every);
		}
		try {
			return CrontabSchedule.parse(cron, (entry.getZone() != null) ? entry.getZone() : timezone);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property + ".cron", cron, ex.getMessage());
		}
	}

	private static List<@Nullable Object> values(List<String> texts) {
		List<@Nullable Object> values = new ArrayList<>();
		texts.forEach((text) -> values.add(value(text)));
		return values;
	}

	private static Map<String, @Nullable Object> values(Map<String, String> texts) {
		Map<String, @Nullable Object> values = new LinkedHashMap<>();
		texts.forEach((key, text) -> values.put(key, value(text)));
		return values;
	}

	/**
	 * Read a property value as JSON ({@code 2}, {@code true}, {@code "2"},
	 * {@code [1, 2]}), or keep it as a string when it is not JSON.
	 */
	private static @Nullable Object value(String text) {
		try {
			return Json.read(text);
		}
		catch (RuntimeException ex) {
			return text;
		}
	}

}
