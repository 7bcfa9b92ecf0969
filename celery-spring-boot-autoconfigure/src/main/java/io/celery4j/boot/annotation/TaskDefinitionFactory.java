package io.celery4j.boot.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.task.ArgumentBinder;
import io.celery4j.task.MethodTaskInvoker;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskHooks;
import io.celery4j.task.TaskOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeanUtils;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Builds a {@link TaskDefinition} from a {@code @CeleryTask} method: resolves the name
 * and the options against the {@code celery.task.*} defaults and prepares the argument
 * binding once.
 */
public class TaskDefinitionFactory {

	private final TaskOptions defaults;

	private final JsonMapper jsonMapper;

	private Supplier<List<TaskHooks>> applicationHooks = List::of;

	private Function<Class<?>, Object> baseFactory = BeanUtils::instantiateClass;

	/**
	 * Create a factory.
	 * @param defaults options of a task whose annotation sets none
	 * ({@code celery.task.*})
	 * @param jsonMapper converts JSON arguments to parameter types
	 */
	public TaskDefinitionFactory(TaskOptions defaults, JsonMapper jsonMapper) {
		Assert.notNull(defaults, "'defaults' must not be null");
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		this.defaults = defaults;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Set where hooks come from: the hooks every task gets, and how a
	 * {@code @CeleryTask(base)} class becomes an instance (a bean of that type when there
	 * is one).
	 * @param applicationHooks the application-wide hooks, asked for when a task is
	 * created
	 * @param baseFactory makes the instance of a base class
	 */
	public void setHooks(Supplier<List<TaskHooks>> applicationHooks, Function<Class<?>, Object> baseFactory) {
		Assert.notNull(applicationHooks, "'applicationHooks' must not be null");
		Assert.notNull(baseFactory, "'baseFactory' must not be null");
		this.applicationHooks = applicationHooks;
		this.baseFactory = baseFactory;
	}

	/**
	 * Create the definition of one task method. The task name defaults to
	 * {@code <bean name>.<method name>}.
	 * @param bean the bean, possibly a proxy: calls go through it
	 * @param beanName the bean name, used for the default task name
	 * @param method the annotated method, on the target class
	 * @param annotation the merged annotation
	 * @param resolver resolves {@code ${...}} placeholders in annotation values
	 * @return the definition
	 * @throws IllegalStateException if an annotation value is invalid; the message names
	 * the method
	 */
	public TaskDefinition create(Object bean, String beanName, Method method, CeleryTask annotation,
			Function<String, @Nullable String> resolver) {
		String source = describe(method);
		String name = name(beanName, method, annotation, resolver, source);
		String queue = resolve(resolver, annotation.queue());
		TaskOptions options = new TaskOptions(StringUtils.hasText(queue) ? queue.trim() : this.defaults.queue(),
				flag(resolver, annotation.acksLate(), this.defaults.acksLate(), "acksLate", source),
				flag(resolver, annotation.ignoreResult(), this.defaults.ignoreResult(), "ignoreResult", source))
			.withRateLimit(rateLimit(resolver, annotation, this.defaults.rateLimit(), source))
			.withTimeLimits(seconds(resolver, annotation.timeLimit(), this.defaults.timeLimit(), "timeLimit", source),
					seconds(resolver, annotation.softTimeLimit(), this.defaults.softTimeLimit(), "softTimeLimit",
							source))
			.withRejectOnWorkerLost(flag(resolver, annotation.rejectOnWorkerLost(), this.defaults.rejectOnWorkerLost(),
					"rejectOnWorkerLost", source));
		options = new RetryAttributes(annotation, resolver, source).apply(options, this.defaults,
				this.applicationHooks.get(), this.baseFactory);
		// Bind with the declared method (its parameter names and @TaskParam), call
		// through
		// the proxy so that advice such as @Transactional applies.
		ArgumentBinder binder = new ArgumentBinder(name, method, this.jsonMapper);
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		return new TaskDefinition(name, new MethodTaskInvoker(bean, invocable, binder), options, source);
	}

	private static String name(String beanName, Method method, CeleryTask annotation,
			Function<String, @Nullable String> resolver, String source) {
		if (annotation.name().isEmpty()) {
			return beanName + "." + method.getName();
		}
		String name = resolve(resolver, annotation.name());
		if (!StringUtils.hasText(name)) {
			throw new IllegalStateException("@CeleryTask(name = \"" + annotation.name() + "\") on " + source
					+ " resolves to an empty name; set a task name such as 'tasks.add'.");
		}
		return name.trim();
	}

	private static @Nullable String resolve(Function<String, @Nullable String> resolver, String value) {
		return value.isEmpty() ? value : resolver.apply(value);
	}

	private static @Nullable RateLimit rateLimit(Function<String, @Nullable String> resolver, CeleryTask annotation,
			@Nullable RateLimit fallback, String source) {
		String scopeText = resolve(resolver, annotation.rateLimitScope());
		RateLimit.Scope scope = RateLimit.Scope.WORKER;
		if (StringUtils.hasText(scopeText)) {
			String normalized = scopeText.trim().toUpperCase(Locale.ROOT);
			if (!normalized.equals("WORKER") && !normalized.equals("GLOBAL")) {
				throw new IllegalStateException("@CeleryTask(rateLimitScope = \"" + annotation.rateLimitScope()
						+ "\") on " + source + " is '" + scopeText + "'; expected 'worker', 'global' or empty.");
			}
			scope = RateLimit.Scope.valueOf(normalized);
		}
		String text = resolve(resolver, annotation.rateLimit());
		if (!StringUtils.hasText(text)) {
			return (fallback != null && scope != fallback.scope())
					? new RateLimit(fallback.expression(), fallback.perSecond(), scope) : fallback;
		}
		try {
			return RateLimit.parse(text, scope);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"@CeleryTask(rateLimit = \"" + annotation.rateLimit() + "\") on " + source + ": " + ex.getMessage(),
					ex);
		}
	}

	private static @Nullable Duration seconds(Function<String, @Nullable String> resolver, String value,
			@Nullable Duration fallback, String attribute, String source) {
		String resolved = resolve(resolver, value);
		if (!StringUtils.hasText(resolved)) {
			return fallback;
		}
		double seconds;
		try {
			seconds = Double.parseDouble(resolved.trim());
		}
		catch (NumberFormatException ex) {
			seconds = -1;
		}
		if (!(seconds > 0) || Double.isInfinite(seconds)) {
			throw new IllegalStateException("@CeleryTask(" + attribute + " = \"" + value + "\") on " + source + " is '"
					+ resolved + "'; expected a positive number of seconds such as '30' or '0.5', or empty for the "
					+ "celery.task default.");
		}
		return Duration.ofNanos((long) (seconds * 1e9));
	}

	private static boolean flag(Function<String, @Nullable String> resolver, String value, boolean fallback,
			String attribute, String source) {
		String resolved = resolve(resolver, value);
		if (!StringUtils.hasText(resolved)) {
			return fallback;
		}
		String normalized = resolved.trim().toLowerCase(Locale.ROOT);
		if (!normalized.equals("true") && !normalized.equals("false")) {
			throw new IllegalStateException("@CeleryTask(" + attribute + " = \"" + value + "\") on " + source + " is '"
					+ resolved + "'; expected 'true', 'false' or empty for the celery.task default.");
		}
		return Boolean.parseBoolean(normalized);
	}

	/**
	 * Describe a method for messages, as {@code SampleTasks#add(int, int)}.
	 * @param method the method
	 * @return the description
	 */
	public static String describe(Method method) {
		String parameters = Arrays.stream(method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(", "));
		return method.getDeclaringClass().getSimpleName() + "#" + method.getName() + "(" + parameters + ")";
	}

}
