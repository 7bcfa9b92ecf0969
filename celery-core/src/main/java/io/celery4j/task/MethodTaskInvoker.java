package io.celery4j.task;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

/**
 * Runs a task by calling a bean method with the arguments its {@link ArgumentBinder}
 * binds. What the method throws is what the task raised: checked and unchecked exceptions
 * and errors pass through as thrown, not wrapped in reflection exceptions.
 */
public final class MethodTaskInvoker implements TaskInvoker {

	private final Object bean;

	private final Method method;

	private final ArgumentBinder binder;

	/**
	 * Create an invoker.
	 * @param bean the bean (possibly a proxy)
	 * @param method the method to call on it, invocable on the bean's class
	 * @param binder binds the request's arguments to the method's parameters
	 */
	public MethodTaskInvoker(Object bean, Method method, ArgumentBinder binder) {
		Assert.notNull(bean, "'bean' must not be null");
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(binder, "'binder' must not be null");
		Assert.isTrue(method.getDeclaringClass().isInstance(bean),
				() -> "Method " + method.getDeclaringClass().getName() + "#" + method.getName()
						+ " cannot be invoked on " + bean.getClass().getName()
						+ "; pass the method as declared on the bean's class or on an"
						+ " interface its proxy implements");
		ReflectionUtils.makeAccessible(method);
		this.bean = bean;
		this.method = method;
		this.binder = binder;
	}

	@Override
	public @Nullable Object invoke(TaskContext context) throws Exception {
		@Nullable Object[] arguments = this.binder.bind(context);
		try {
			return this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/**
	 * Return the binder, which knows the task's parameters.
	 * @return the binder
	 */
	public ArgumentBinder getBinder() {
		return this.binder;
	}

	/**
	 * Return whether this invoker calls the given method, declared on the bean's class or
	 * on one of its supertypes (the method a caller sees, not necessarily the invocable
	 * one behind a proxy).
	 * @param candidate the method
	 * @return whether a call of {@code candidate} on the bean runs this task
	 */
	public boolean invokes(Method candidate) {
		return candidate.getName().equals(this.method.getName())
				&& Arrays.equals(candidate.getParameterTypes(), this.method.getParameterTypes())
				&& candidate.getDeclaringClass().isInstance(this.bean);
	}

}
