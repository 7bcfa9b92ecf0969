package io.celery4j.client;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * One call of a task method, recorded on a stand-in object instead of run, so a task can
 * be sent by method reference:
 * {@code client.send(MathTasks.class, (tasks) -> tasks.add(2, 3))}. The task name comes
 * from the registered task that method runs as, else from the method's literal
 * {@code @CeleryTask(name)}.
 *
 * @param method the method called
 * @param args the arguments passed, {@link TaskContext} parameters left out
 */
record TaskMethodCall(Method method, List<@Nullable Object> args) {

	/**
	 * Record the one task method call that {@code call} makes on a stand-in of
	 * {@code type}.
	 * @param <T> the type declaring the task method
	 * @param type a class or interface with {@code @CeleryTask} methods
	 * @param call calls exactly one of them
	 * @return the recorded call
	 * @throws IllegalArgumentException if the type cannot be stood in for or the lambda
	 * does not call exactly one method
	 */
	static <T> TaskMethodCall record(Class<T> type, Consumer<? super T> call) {
		Assert.notNull(type, "'type' must not be null");
		Assert.notNull(call, "'call' must not be null");
		if (!type.isInterface() && Modifier.isFinal(type.getModifiers())) {
			throw new IllegalArgumentException(
					type.getName() + " is final, so its task methods cannot be recorded; send by task name instead");
		}
		List<TaskMethodCall> calls = new ArrayList<>();
		ProxyFactory factory = new ProxyFactory();
		if (type.isInterface()) {
			factory.addInterface(type);
		}
		else {
			factory.setTargetClass(type);
			factory.setProxyTargetClass(true);
		}
		factory.addAdvice((MethodInterceptor) (invocation) -> {
			Method method = invocation.getMethod();
			if (method.getDeclaringClass() != Object.class) {
				calls.add(new TaskMethodCall(method, taskArguments(method, invocation.getArguments())));
			}
			return defaultValue(method.getReturnType());
		});
		@SuppressWarnings("unchecked")
		T standIn = (T) factory.getProxy(ClassUtils.getDefaultClassLoader());
		call.accept(standIn);
		if (calls.size() != 1) {
			throw new IllegalArgumentException("The lambda passed for " + type.getSimpleName()
					+ " must call exactly one task method, but it called " + calls.size());
		}
		return calls.get(0);
	}

	/**
	 * Return the name of the task this call sends.
	 * @param registry the local tasks
	 * @return the task name
	 * @throws IllegalArgumentException if the method is no registered task and has no
	 * literal {@code @CeleryTask(name)}
	 */
	String taskName(TaskRegistry registry) {
		TaskDefinition task = registry.findByMethod(this.method);
		if (task != null) {
			return task.name();
		}
		CeleryTask annotation = AnnotatedElementUtils.findMergedAnnotation(this.method, CeleryTask.class);
		if (annotation != null && !annotation.name().isEmpty() && !annotation.name().contains("${")) {
			return annotation.name();
		}
		throw new IllegalArgumentException("Method " + this.method.getDeclaringClass().getSimpleName() + "#"
				+ this.method.getName() + " is not a registered task and has no literal @CeleryTask(name); "
				+ "register its bean or send by task name instead");
	}

	private static List<@Nullable Object> taskArguments(Method method, @Nullable Object[] arguments) {
		List<@Nullable Object> result = new ArrayList<>(arguments.length);
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < arguments.length; i++) {
			if (!TaskContext.class.isAssignableFrom(types[i])) {
				result.add(arguments[i]);
			}
		}
		return result;
	}

	private static @Nullable Object defaultValue(Class<?> type) {
		if (!type.isPrimitive() || type == void.class) {
			return null;
		}
		if (type == boolean.class) {
			return false;
		}
		if (type == char.class) {
			return '\0';
		}
		return switch (type.getName()) {
			case "byte" -> (byte) 0;
			case "short" -> (short) 0;
			case "int" -> 0;
			case "long" -> 0L;
			case "float" -> 0f;
			default -> 0d;
		};
	}

	@Override
	public String toString() {
		return this.method.getName() + Arrays.toString(this.args.toArray());
	}

}
