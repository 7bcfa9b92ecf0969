package io.celery4j.boot.annotation;

import java.lang.reflect.Method;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.annotation.Periodic;
import io.celery4j.beat.CrontabSchedule;
import io.celery4j.beat.FixedRateSchedule;
import io.celery4j.beat.Schedule;
import io.celery4j.beat.ScheduleEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Builds a beat {@link ScheduleEntry} from a {@code @Periodic} method: resolves
 * placeholders, parses the cron expression or the period, and checks that the method is a
 * {@code @CeleryTask}. Every problem fails with a message naming the method.
 */
public class PeriodicEntryFactory {

	private final ZoneId defaultZone;

	/**
	 * Create a factory.
	 * @param defaultZone zone of cron expressions whose annotation names none
	 * ({@code celery.timezone})
	 */
	public PeriodicEntryFactory(ZoneId defaultZone) {
		Assert.notNull(defaultZone, "'defaultZone' must not be null");
		this.defaultZone = defaultZone;
	}

	/**
	 * Create the schedule entry of one method.
	 * @param beanName the bean name, used for the default task name
	 * @param method the annotated method, on the target class
	 * @param periodic the merged {@code @Periodic}
	 * @param task the merged {@code @CeleryTask}, or {@code null} if the method has none
	 * @param resolver resolves {@code ${...}} placeholders in annotation values
	 * @return the entry
	 * @throws IllegalStateException if the annotation is invalid; the message names the
	 * method
	 */
	public ScheduleEntry create(String beanName, Method method, Periodic periodic, @Nullable CeleryTask task,
			Function<String, @Nullable String> resolver) {
		String source = TaskDefinitionFactory.describe(method);
		if (task == null) {
			throw new IllegalStateException("@Periodic on " + source
					+ " needs @CeleryTask on the same method: beat sends the task by name through the broker.");
		}
		String taskName = taskName(beanName, method, task, resolver);
		String name = resolve(resolver, periodic.name());
		Schedule schedule = schedule(periodic, resolver, source);
		Duration expires = duration(resolver, periodic.expires(), "expires", source);
		if (expires != null && (expires.isNegative() || expires.isZero())) {
			throw invalid("expires", periodic.expires(), source, "expected a positive duration such as '30s'");
		}
		return new ScheduleEntry(StringUtils.hasText(name) ? name.trim() : taskName, taskName, schedule, List.of(),
				Map.of(), resolve(resolver, periodic.queue()), expires);
	}

	private Schedule schedule(Periodic periodic, Function<String, @Nullable String> resolver, String source) {
		String cron = resolve(resolver, periodic.cron());
		String fixedRate = resolve(resolver, periodic.fixedRate());
		boolean hasCron = StringUtils.hasText(cron);
		boolean hasRate = StringUtils.hasText(fixedRate);
		if (hasCron == hasRate) {
			throw new IllegalStateException("@Periodic on " + source
					+ (hasCron ? " sets both cron and fixedRate" : " sets neither cron nor fixedRate")
					+ "; set exactly one.");
		}
		Duration initialDelay = duration(resolver, periodic.initialDelay(), "initialDelay", source);
		if (hasCron) {
			if (initialDelay != null) {
				throw new IllegalStateException("@Periodic on " + source
						+ " sets initialDelay with cron; initialDelay applies to fixedRate only.");
			}
			try {
				return CrontabSchedule.parse(cron, zone(resolver, periodic.zone(), source));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("@Periodic(cron = \"" + periodic.cron() + "\") on " + source
						+ " is invalid: " + ex.getMessage(), ex);
			}
		}
		Duration rate = duration(resolver, periodic.fixedRate(), "fixedRate", source);
		if (rate == null || rate.isNegative() || rate.isZero()) {
			throw invalid("fixedRate", periodic.fixedRate(), source, "expected a positive duration such as '10s'");
		}
		if (initialDelay != null && initialDelay.isNegative()) {
			throw invalid("initialDelay", periodic.initialDelay(), source, "expected 0 or a positive duration");
		}
		return new FixedRateSchedule(rate, initialDelay);
	}

	private ZoneId zone(Function<String, @Nullable String> resolver, String value, String source) {
		String zone = resolve(resolver, value);
		if (!StringUtils.hasText(zone)) {
			return this.defaultZone;
		}
		try {
			return ZoneId.of(zone.trim());
		}
		catch (DateTimeException ex) {
			throw invalid("zone", value, source, "expected a zone id such as 'Europe/Berlin' or 'UTC'");
		}
	}

	private static @Nullable Duration duration(Function<String, @Nullable String> resolver, String value,
			String attribute, String source) {
		String resolved = resolve(resolver, value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(resolved.trim(), ChronoUnit.SECONDS);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(attribute, value, source, "'" + resolved
					+ "' is not a duration; expected for example '10s', '500ms', 'PT10S' or a number of " + "seconds");
		}
	}

	private static String taskName(String beanName, Method method, CeleryTask task,
			Function<String, @Nullable String> resolver) {
		// The same name the @CeleryTask post-processor registers the task under.
		if (task.name().isEmpty()) {
			return beanName + "." + method.getName();
		}
		String name = resolve(resolver, task.name());
		return (name != null) ? name.trim() : task.name();
	}

	private static @Nullable String resolve(Function<String, @Nullable String> resolver, String value) {
		return value.isEmpty() ? null : resolver.apply(value);
	}

	private static IllegalStateException invalid(String attribute, String value, String source, String expected) {
		return new IllegalStateException(
				"@Periodic(" + attribute + " = \"" + value + "\") on " + source + " is invalid: " + expected + ".");
	}

}
