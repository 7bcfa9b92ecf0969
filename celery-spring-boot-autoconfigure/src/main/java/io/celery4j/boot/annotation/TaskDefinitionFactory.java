package io.celery4j.boot.annotation;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.task.ArgumentBinder;
import io.celery4j.task.MethodTaskInvoker;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.StringUtils;

/**
 * Builds a {@link TaskDefinition} from a {@code @CeleryTask} method: resolves the name
 * and the options against the {@code celery.task.*} defaults and prepares the argument
 * binding once.
 */
public class TaskDefinitionFactory {

	private final TaskOptions defaults;

	private final JsonMapper jsonMapper;

	public TaskDefinitionFactory(TaskOptions defaults, JsonMapper jsonMapper) {
		this.defaults = defaults;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Create the definition of one task method.
	 * @param bean the bean (possibly a proxy)
	 * @param beanName the bean name, used for the default task name
	 * @param method the annotated method, on the target class
	 * @param annotation the merged annotation
	 * @param resolver resolves {@code ${...}} placeholders in annotation values
	 * @return the definition
	 */
	public TaskDefinition create(Object bean, String beanName, Method method, CeleryTask annotation,
			UnaryOperator<@Nullable String> resolver) {
		String source = describe(method);
		String name = resolve(resolver, annotation.name());
		if (!StringUtils.hasText(name)) {
			name = beanName + "." + method.getName();
		}
		String queue = resolve(resolver, annotation.queue());
		TaskOptions options = new TaskOptions(StringUtils.hasText(queue) ? queue : this.defaults.queue(),
				flag(resolver, annotation.acksLate(), this.defaults.acksLate(), "acksLate", source),
				flag(resolver, annotation.ignoreResult(), this.defaults.ignoreResult(), "ignoreResult", source));
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		ArgumentBinder binder = new ArgumentBinder(name, invocable, this.jsonMapper);
		return new TaskDefinition(name, new MethodTaskInvoker(bean, invocable, binder), options, source);
	}

	private static @Nullable String resolve(UnaryOperator<@Nullable String> resolver, String value) {
		return value.isEmpty() ? value : resolver.apply(value);
	}

	private static boolean flag(UnaryOperator<@Nullable String> resolver, String value, boolean fallback,
			String attribute, String source) {
		String resolved = resolve(resolver, value);
		if (!StringUtils.hasText(resolved)) {
			return fallback;
		}
		String normalized = resolved.trim().toLowerCase(Locale.ROOT);
		if (!normalized.equals("true") && !normalized.equals("false")) {
			throw new IllegalStateException("@CeleryTask(" + attribute + ") on " + source + " is '" + resolved
					+ "'; expected 'true' or 'false'");
		}
		return Boolean.parseBoolean(normalized);
	}

	static String describe(Method method) {
		String parameters = Arrays.stream(method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(", "));
		return method.getDeclaringClass().getSimpleName() + "#" + method.getName() + "(" + parameters + ")";
	}

}
