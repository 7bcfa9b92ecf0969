package io.celery4j.boot.annotation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.task.RetryPolicy;
import io.celery4j.task.TaskHooks;
import io.celery4j.task.TaskOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Resolves the retry, result and hooks attributes of a {@code @CeleryTask} against the
 * {@code celery.task.*} defaults.
 */
final class RetryAttributes {

	private final CeleryTask annotation;

	private final Function<String, @Nullable String> resolver;

	private final String source;

	RetryAttributes(CeleryTask annotation, Function<String, @Nullable String> resolver, String source) {
		this.annotation = annotation;
		this.resolver = resolver;
		this.source = source;
	}

	TaskOptions apply(TaskOptions options, TaskOptions defaults, List<TaskHooks> applicationHooks,
			Function<Class<?>, Object> baseFactory) {
		RetryPolicy fallback = defaults.retry();
		List<Class<? extends Throwable>> autoretryFor = Arrays.asList(this.annotation.autoretryFor());
		RetryPolicy retry = new RetryPolicy(maxRetries(fallback.maxRetries()),
				seconds("defaultRetryDelay", this.annotation.defaultRetryDelay(), fallback.defaultRetryDelay()),
				autoretryFor.isEmpty() ? fallback.autoretryFor() : autoretryFor, backoff(fallback.retryBackoff()),
				seconds("retryBackoffMax", this.annotation.retryBackoffMax(), fallback.retryBackoffMax()),
				flag("retryJitter", this.annotation.retryJitter(), fallback.retryJitter()));
		return options.withRetry(retry)
			.withResults(flag("trackStarted", this.annotation.trackStarted(), defaults.trackStarted()),
					flag("storeErrorsEvenIfIgnored", this.annotation.storeErrorsEvenIfIgnored(),
							defaults.storeErrorsEvenIfIgnored()))
			.withHooks(hooks(applicationHooks, baseFactory));
	}

	private List<TaskHooks> hooks(List<TaskHooks> applicationHooks, Function<Class<?>, Object> baseFactory) {
		List<TaskHooks> hooks = new ArrayList<>(applicationHooks);
		Class<?> base = this.annotation.base();
		if (base == void.class) {
			return hooks;
		}
		if (!TaskHooks.class.isAssignableFrom(base)) {
			throw invalid("base", base.getName(), "a class implementing " + TaskHooks.class.getName());
		}
		Object instance = baseFactory.apply(base);
		if (hooks.stream().noneMatch((hook) -> hook == instance)) {
			hooks.add((TaskHooks) instance);
		}
		return hooks;
	}

	private @Nullable Integer maxRetries(@Nullable Integer fallback) {
		String value = resolve(this.annotation.maxRetries());
		if (value == null) {
			return fallback;
		}
		if (value.equalsIgnoreCase("none") || value.equals("-1")) {
			return null;
		}
		try {
			int maxRetries = Integer.parseInt(value);
			if (maxRetries >= 0) {
				return maxRetries;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw invalid("maxRetries", value, "a number >= 0, '-1' or 'none' for no limit");
	}

	private Duration backoff(Duration fallback) {
		String value = resolve(this.annotation.retryBackoff());
		if (value == null) {
			return fallback;
		}
		if (value.equalsIgnoreCase("true")) {
			return Duration.ofSeconds(1);
		}
		if (value.equalsIgnoreCase("false")) {
			return Duration.ZERO;
		}
		return seconds("retryBackoff", value, fallback);
	}

	private Duration seconds(String attribute, String raw, Duration fallback) {
		String value = resolve(raw);
		if (value == null) {
			return fallback;
		}
		try {
			long seconds = Long.parseLong(value);
			if (seconds >= 0) {
				return Duration.ofSeconds(seconds);
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw invalid(attribute, value, "a whole number of seconds >= 0");
	}

	private boolean flag(String attribute, String raw, boolean fallback) {
		String value = resolve(raw);
		if (value == null) {
			return fallback;
		}
		String normalized = value.toLowerCase(Locale.ROOT);
		if (!normalized.equals("true") && !normalized.equals("false")) {
			throw invalid(attribute, value, "'true', 'false' or empty for the celery.task default");
		}
		return Boolean.parseBoolean(normalized);
	}

	private @Nullable String resolve(String value) {
		if (value.isEmpty()) {
			return null;
		}
		String resolved = this.resolver.apply(value);
		return StringUtils.hasText(resolved) ? resolved.trim() : null;
	}

	private IllegalStateException invalid(String attribute, String value, String expected) {
		return new IllegalStateException(
				"@CeleryTask(" + attribute + ") on " + this.source + " is '" + value + "'; expected " + expected + ".");
	}

}
