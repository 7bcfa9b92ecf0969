package io.celery4j.task;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.celery4j.annotation.TaskParam;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ArgumentBinder}: Celery's args and kwargs bound as Python binds a
 * call.
 */
class ArgumentBinderTests {

	@Test
	void bindsPositionalArguments() {
		assertThat(bind("add", List.of(2, 3), Map.of())).containsExactly(2, 3);
	}

	@Test
	void bindsKeywordArguments() {
		assertThat(bind("add", List.of(), Map.of("y", 3, "x", 2))).containsExactly(2, 3);
	}

	@Test
	void bindsPositionalThenKeywordArguments() {
		assertThat(bind("add", List.of(2), Map.of("y", 3))).containsExactly(2, 3);
	}

	@Test
	void usesStringDefaultAsText() {
		assertThat(bind("greet", List.of("Ada"), Map.of())).containsExactly("Ada", "Hello");
		assertThat(bind("greet", List.of("Ada"), Map.of("greeting", "Hi"))).containsExactly("Ada", "Hi");
	}

	@Test
	void usesJsonDefaultsForOtherTypes() {
		assertThat(bind("sum", List.of(), Map.of())).containsExactly(List.of(1, 2), 10);
		assertThat(bind("sum", List.of(List.of(5)), Map.of("start", 0))).containsExactly(List.of(5), 0);
	}

	@Test
	void usesNullDefault() {
		assertThat(bind("nullable", List.of(), Map.of())).containsExactly((Object) null);
	}

	@Test
	void givesEachCallItsOwnCopyOfADefault() {
		ArgumentBinder binder = binder("sum");
		@Nullable Object[] first = binder.bind(context(List.of(), Map.of()));
		castList(first[0]).add(99);
		@Nullable Object[] second = binder.bind(context(List.of(), Map.of()));
		assertThat(second[0]).isEqualTo(List.of(1, 2));
	}

	@Test
	void bindsOptionalParameters() {
		assertThat(bind("nickname", List.of(), Map.of())).containsExactly(Optional.empty());
		assertThat(bind("nickname", Arrays.asList((Object) null), Map.of())).containsExactly(Optional.empty());
		assertThat(bind("nickname", List.of("Ada"), Map.of())).containsExactly(Optional.of("Ada"));
	}

	@Test
	void bindsRecords() {
		assertThat(bind("area", List.of(Map.of("width", 2, "height", 3)), Map.of())).containsExactly(new Rect(2, 3));
	}

	@Test
	void bindsBeans() {
		Object[] values = bind("describe", List.of(Map.of("name", "Ada", "age", 36)), Map.of());
		Person person = (Person) values[0];
		assertThat(person.getName()).isEqualTo("Ada");
		assertThat(person.getAge()).isEqualTo(36);
	}

	@Test
	void bindsListsOfRecords() {
		assertThat(bind("total",
				List.of(List.of(Map.of("name", "a", "quantity", 1), Map.of("name", "b", "quantity", 2))), Map.of()))
			.containsExactly(List.of(new Item("a", 1), new Item("b", 2)));
	}

	@Test
	void bindsMaps() {
		assertThat(bind("counts", List.of(Map.of("a", 1)), Map.of())).containsExactly(Map.of("a", 1L));
	}

	@Test
	void bindsNullToBoxedParameters() {
		assertThat(bind("boxed", Arrays.asList((Object) null), Map.of())).containsExactly((Object) null);
	}

	@Test
	void bindsIntegersToFloatingPointParameters() {
		assertThat(bind("half", List.of(3), Map.of())).containsExactly(3.0);
	}

	@Test
	void injectsTheContextWhereverItIsDeclared() {
		TaskContext context = context(List.of(1, 2), Map.of());
		assertThat(binder("contextFirst").bind(context)).containsExactly(context, 1, 2);
		assertThat(binder("contextMiddle").bind(context)).containsExactly(1, context, 2);
		assertThat(binder("contextLast").bind(context)).containsExactly(1, 2, context);
		assertThat(binder("contextFirst").parameterNames()).containsExactly("x", "y");
	}

	@Test
	void injectsTheContextIntoEveryContextParameter() {
		TaskContext context = context(List.of(), Map.of());
		assertThat(binder("twoContexts").bind(context)).containsExactly(context, context);
	}

	@Test
	void bindsKeywordNamedByTaskParam() {
		assertThat(bind("renamed", List.of(), Map.of("class", "A"))).containsExactly("A");
		assertThat(binder("renamed").parameterNames()).containsExactly("class");
	}

	@Test
	void rejectsValueOfTheWrongType() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> bind("add", List.of(2, "abc"), Map.of()))
			.withMessage("Task 'tasks.add' argument 'y': expected int, got 'abc' (string).")
			.satisfies((ex) -> assertThat(ex.getTaskName()).isEqualTo("tasks.add"));
	}

	@Test
	void rejectsNumberWrittenAsString() {
		assertThatExceptionOfType(TaskArgumentException.class).isThrownBy(() -> bind("add", List.of(2, "3"), Map.of()))
			.withMessage("Task 'tasks.add' argument 'y': expected int, got '3' (string).");
	}

	@Test
	void rejectsFloatForIntegerRatherThanTruncateIt() {
		assertThatExceptionOfType(TaskArgumentException.class).isThrownBy(() -> bind("add", List.of(2.5, 3), Map.of()))
			.withMessage("Task 'tasks.add' argument 'x': expected int, got 2.5 (float).");
	}

	@Test
	void rejectsIntegerTooLargeForItsType() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> bind("add", List.of(12345678901L, 3), Map.of()))
			.withMessage("Task 'tasks.add' argument 'x': expected int, got 12345678901 (integer).");
	}

	@Test
	void rejectsNullForPrimitive() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> bind("add", Arrays.asList(1, null), Map.of()))
			.withMessage("Task 'tasks.add' argument 'y': expected int, got None (null).");
	}

	@Test
	void rejectsRecordWithAFieldOfTheWrongTypeNamingTheField() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> bind("area", List.of(Map.of("width", "wide")), Map.of()))
			.withMessageStartingWith(
					"Task 'tasks.area' argument 'rect': expected Rect, got {'width': 'wide'} (object): at width: ")
			.withMessageContaining("\"wide\"");
	}

	@Test
	void rejectsListElementOfTheWrongTypeNamingItsPosition() {
		assertThatExceptionOfType(TaskArgumentException.class).isThrownBy(() -> bind("total",
				List.of(List.of(Map.of("name", "a", "quantity", 1), Map.of("name", "b", "quantity", 1.5))), Map.of()))
			.withMessageStartingWith("Task 'tasks.total' argument 'items': expected List<Item>, got ")
			.withMessageContaining("(list): at [1].quantity: ");
	}

	@Test
	void rejectsListForMap() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> bind("counts", List.of(List.of(1)), Map.of()))
			.withMessageStartingWith(
					"Task 'tasks.counts' argument 'counts': expected Map<String, Long>, got [1] (list)");
	}

	@Test
	void rejectsTooManyPositionalArguments() {
		assertThatExceptionOfType(TaskArgumentException.class).isThrownBy(() -> bind("add", List.of(1, 2, 3), Map.of()))
			.withMessage("Task 'tasks.add' takes 2 positional argument(s) (int x, int y) but 3 were given: [1, 2, 3].");
	}

	@Test
	void rejectsUnknownKeyword() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> bind("add", List.of(1, 2), Map.of("z", 3)))
			.withMessage("Task 'tasks.add' got unexpected keyword argument(s) 'z'; it accepts (int x, int y).");
	}

	@Test
	void rejectsTwoValuesForOneArgument() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> bind("add", List.of(1, 2), Map.of("x", 5)))
			.withMessage("Task 'tasks.add' argument 'x' (int) got multiple values: 1 by position and 5 by keyword.");
	}

	@Test
	void rejectsMissingRequiredArgument() {
		assertThatExceptionOfType(TaskArgumentException.class).isThrownBy(() -> bind("add", List.of(1), Map.of()))
			.withMessage("Task 'tasks.add' argument 'y' (int) is missing and has no default.");
	}

	@Test
	void cutsLongValuesInMessages() {
		assertThatExceptionOfType(TaskArgumentException.class)
			.isThrownBy(() -> bind("add", List.of(1, "x".repeat(10_000)), Map.of()))
			.satisfies(
					(ex) -> assertThat(ex.getMessage()).hasSizeLessThan(250).contains("xxx...").endsWith("(string)."));
	}

	@Test
	void failsAtStartUpWhenADefaultDoesNotFitItsType() {
		assertThatIllegalStateException().isThrownBy(() -> binder("badDefault"))
			.withMessageContaining("@TaskParam(defaultValue = \"ten\")")
			.withMessageContaining("argument 'count' of task 'tasks.badDefault' is not a valid int");
	}

	static TaskContext context(List<?> args, Map<String, ?> kwargs) {
		TaskMessage message = TaskMessage.builder("tasks.any")
			.args(Json.toValues(args))
			.kwargs(Json.toValueMap(kwargs))
			.build();
		return new TaskContext(message, "celery@test");
	}

	private static @Nullable Object[] bind(String method, List<?> args, Map<String, ?> kwargs) {
		return binder(method).bind(context(args, kwargs));
	}

	private static ArgumentBinder binder(String name) {
		return new ArgumentBinder("tasks." + name, method(name), Json.mapper());
	}

	static Method method(String name) {
		Method method = Arrays.stream(SampleTasks.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		ReflectionUtils.makeAccessible(method);
		return method;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> castList(@Nullable Object value) {
		return (List<Object>) value;
	}

	record Rect(int width, int height) {
	}

	record Item(String name, int quantity) {
	}

	/**
	 * A bean with a default constructor and setters.
	 */
	static class Person {

		private @Nullable String name;

		private int age;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public int getAge() {
			return this.age;
		}

		public void setAge(int age) {
			this.age = age;
		}

	}

	/**
	 * Task methods with the shapes the binder must handle.
	 */
	static class SampleTasks {

		int add(int x, int y) {
			return x + y;
		}

		String greet(String name, @TaskParam(defaultValue = "Hello") String greeting) {
			return greeting + ", " + name + "!";
		}

		int sum(@TaskParam(defaultValue = "[1, 2]") List<Integer> values, @TaskParam(defaultValue = "10") int start) {
			return start + values.stream().mapToInt(Integer::intValue).sum();
		}

		@Nullable Integer nullable(@TaskParam(defaultValue = "null") @Nullable Integer value) {
			return value;
		}

		String nickname(Optional<String> nickname) {
			return nickname.orElse("none");
		}

		int area(Rect rect) {
			return rect.width() * rect.height();
		}

		String describe(Person person) {
			return person.getName() + " " + person.getAge();
		}

		int total(List<Item> items) {
			return items.stream().mapToInt(Item::quantity).sum();
		}

		int counts(Map<String, Long> counts) {
			return counts.size();
		}

		@Nullable Integer boxed(@Nullable Integer value) {
			return value;
		}

		double half(double value) {
			return value / 2;
		}

		String contextFirst(TaskContext context, int x, int y) {
			return context.getId() + (x + y);
		}

		String contextMiddle(int x, TaskContext context, int y) {
			return context.getId() + (x + y);
		}

		String contextLast(int x, int y, TaskContext context) {
			return context.getId() + (x + y);
		}

		String twoContexts(TaskContext first, TaskContext second) {
			return first.getId() + second.getId();
		}

		String renamed(@TaskParam(name = "class") String type) {
			return type;
		}

		int badDefault(@TaskParam(defaultValue = "ten") int count) {
			return count;
		}

	}

}
