package io.celery4j.task;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MethodTaskInvoker}.
 */
class MethodTaskInvokerTests {

	private final Tasks tasks = new Tasks();

	@Test
	void callsTheMethodWithBoundArgumentsAndReturnsItsResult() throws Exception {
		assertThat(invoker("add").invoke(ArgumentBinderTests.context(List.of(2), Map.of("y", 3)))).isEqualTo(5);
	}

	@Test
	void passesTheContextToABoundTask() throws Exception {
		TaskContext context = ArgumentBinderTests.context(List.of(), Map.of());
		assertThat(invoker("whoAmI").invoke(context)).isEqualTo("tasks.any@celery@test");
	}

	@Test
	void returnsNullFromAVoidMethod() throws Exception {
		assertThat(invoker("nothing").invoke(ArgumentBinderTests.context(List.of(), Map.of()))).isNull();
		assertThat(this.tasks.calls).containsExactly("nothing");
	}

	@Test
	void letsACheckedExceptionThroughUnwrapped() {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> invoker("checked").invoke(ArgumentBinderTests.context(List.of(), Map.of())))
			.withMessage("disk full");
	}

	@Test
	void letsAnUncheckedExceptionThroughUnwrapped() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> invoker("unchecked").invoke(ArgumentBinderTests.context(List.of(), Map.of())))
			.withMessage("boom");
	}

	@Test
	void letsAnErrorThroughUnwrapped() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> invoker("error").invoke(ArgumentBinderTests.context(List.of(), Map.of())))
			.withMessage("broken");
	}

	@Test
	void doesNotCallTheMethodWhenArgumentsDoNotBind() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> invoker("add").invoke(ArgumentBinderTests.context(List.of("two", 3), Map.of())))
			.withMessage("Task 'tasks.add' argument 'x': expected int, got 'two' (string).");
		assertThat(this.tasks.calls).isEmpty();
	}

	@Test
	void refusesAMethodThatTheBeanDoesNotHave() {
		Method method = ReflectionUtils.findMethod(String.class, "length");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MethodTaskInvoker(this.tasks, method,
					new ArgumentBinder("tasks.length", method, Json.mapper())))
			.withMessageContaining("java.lang.String#length cannot be invoked on " + Tasks.class.getName());
	}

	@Test
	void exposesItsBinder() {
		assertThat(invoker("add").getBinder().parameterNames()).containsExactly("x", "y");
	}

	private MethodTaskInvoker invoker(String name) {
		Method method = ReflectionUtils.findMethod(Tasks.class, name, (Class<?>[]) null);
		return new MethodTaskInvoker(this.tasks, method, new ArgumentBinder("tasks." + name, method, Json.mapper()));
	}

	/**
	 * Tasks of a package-private class, as a user may declare them.
	 */
	static class Tasks {

		final List<String> calls = new ArrayList<>();

		int add(int x, int y) {
			this.calls.add("add");
			return x + y;
		}

		String whoAmI(TaskContext context) {
			return context.getTaskName() + "@" + context.getHostname();
		}

		void nothing() {
			this.calls.add("nothing");
		}

		void checked() throws IOException {
			throw new IOException("disk full");
		}

		void unchecked() {
			throw new IllegalArgumentException("boom");
		}

		void error() {
			throw new AssertionError("broken");
		}

	}

}
