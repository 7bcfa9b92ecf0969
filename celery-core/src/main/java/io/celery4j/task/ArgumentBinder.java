package io.celery4j.task;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.celery4j.annotation.TaskParam;
import io.celery4j.protocol.PythonRepr;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Binds Celery's {@code args} and {@code kwargs} to a Java method's parameters the way
 * Python binds a call: positional first, then by keyword, then declared defaults
 * ({@link TaskParam#defaultValue()}), then {@code Optional.empty()} for an
 * {@code Optional} parameter. Values are converted by Jackson to the declared types
 * (records, beans, collections, {@code Optional}); a conversion that would lose
 * information (a float into an {@code int}, a string into a number) is refused. Every
 * {@link TaskContext} parameter receives the request, like Celery's {@code bind=True}.
 * <p>
 * Mistakes raise {@link TaskArgumentException} (stored as Python's {@code TypeError})
 * naming the task, the parameter, the expected type and the value received, for example
 * {@code Task 'tasks.add' argument 'y': expected int, got 'abc' (string).}
 */
public final class ArgumentBinder {

	private static final int MAX_VALUE_LENGTH = 120;

	private final String taskName;

	private final List<Slot> slots = new ArrayList<>();

	private final List<Integer> contextIndexes = new ArrayList<>();

	private final int parameterCount;

	/**
	 * Prepare the binding of one method.
	 * @param taskName the task name, for messages
	 * @param method the method
	 * @param mapper the mapper that converts JSON values, usually
	 * {@link io.celery4j.protocol.Json#mapper()}
	 * @throws IllegalStateException if a default value is not valid for its parameter
	 */
	public ArgumentBinder(String taskName, Method method, JsonMapper mapper) {
		Assert.hasText(taskName, "'taskName' must not be empty");
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(mapper, "'mapper' must not be null");
		this.taskName = taskName;
		this.parameterCount = method.getParameterCount();
		Parameter[] parameters = method.getParameters();
		for (int i = 0; i < parameters.length; i++) {
			if (TaskContext.class.isAssignableFrom(parameters[i].getType())) {
				this.contextIndexes.add(i);
			}
			else {
				this.slots.add(new Slot(i, parameters[i], mapper, taskName));
			}
		}
	}

	/**
	 * Return the keyword names of the parameters that take arguments, in order.
	 * @return the names
	 */
	public List<String> parameterNames() {
		return this.slots.stream().map(Slot::name).toList();
	}

	/**
	 * Bind a request's arguments.
	 * @param context the request
	 * @return the method arguments
	 * @throws TaskArgumentException if the arguments do not fit the parameters
	 */
	public @Nullable Object[] bind(TaskContext context) {
		List<@Nullable Object> args = context.getArgs();
		Map<String, @Nullable Object> kwargs = context.getKwargs();
		if (args.size() > this.slots.size()) {
			throw new TaskArgumentException(this.taskName,
					"Task '" + this.taskName + "' takes " + this.slots.size() + " positional argument(s) " + signature()
							+ " but " + args.size() + " were given: " + shorten(PythonRepr.value(args)) + ".");
		}
		Set<String> unknown = new LinkedHashSet<>(kwargs.keySet());
		this.slots.forEach((slot) -> unknown.remove(slot.name()));
		if (!unknown.isEmpty()) {
			throw new TaskArgumentException(this.taskName,
					"Task '" + this.taskName + "' got unexpected keyword argument(s) "
							+ unknown.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "))
							+ "; it accepts " + signature() + ".");
		}
		@Nullable Object[] values = new Object[this.parameterCount];
		this.contextIndexes.forEach((index) -> values[index] = context);
		for (int i = 0; i < this.slots.size(); i++) {
			Slot slot = this.slots.get(i);
			if (i < args.size()) {
				if (kwargs.containsKey(slot.name())) {
					throw slot.error("got multiple values: " + shorten(PythonRepr.value(args.get(i)))
							+ " by position and " + shorten(PythonRepr.value(kwargs.get(slot.name()))) + " by keyword");
				}
				values[slot.index()] = slot.convert(args.get(i));
			}
			else if (kwargs.containsKey(slot.name())) {
				values[slot.index()] = slot.convert(kwargs.get(slot.name()));
			}
			else {
				values[slot.index()] = slot.missing();
			}
		}
		return values;
	}

	private String signature() {
		return this.slots.stream().map(Slot::toString).collect(Collectors.joining(", ", "(", ")"));
	}

	private static String shorten(String repr) {
		if (repr.codePointCount(0, repr.length()) <= MAX_VALUE_LENGTH) {
			return repr;
		}
		return repr.substring(0, repr.offsetByCodePoints(0, MAX_VALUE_LENGTH - 3)) + "...";
	}

	/**
	 * One parameter that takes an argument.
	 */
	private static final class Slot {

		private final int index;

		private final String name;

		private final Class<?> rawType;

		private final JavaType type;

		private final String typeName;

		private final String taskName;

		private final JsonMapper mapper;

		private final @Nullable String defaultValue;

		Slot(int index, Parameter parameter, JsonMapper mapper, String taskName) {
			this.index = index;
			this.mapper = mapper;
			this.taskName = taskName;
			TaskParam annotation = parameter.getAnnotation(TaskParam.class);
			this.name = (annotation != null && !annotation.name().isEmpty()) ? annotation.name() : parameter.getName();
			this.rawType = parameter.getType();
			this.type = mapper.constructType(parameter.getParameterizedType());
			this.typeName = typeName(this.type);
			this.defaultValue = (annotation != null && !TaskParam.NO_DEFAULT.equals(annotation.defaultValue()))
					? annotation.defaultValue() : null;
			if (this.defaultValue != null) {
				// Fail at start-up, not when the first request omits the argument.
				defaultValue();
			}
		}

		int index() {
			return this.index;
		}

		String name() {
			return this.name;
		}

		@Nullable Object convert(@Nullable Object value) {
			if (value == null) {
				if (this.rawType.isPrimitive()) {
					throw mismatch(null, null);
				}
				return (this.rawType == Optional.class) ? Optional.empty() : null;
			}
			try {
				return this.mapper.convertValue(value, this.type);
			}
			catch (JacksonException | IllegalArgumentException ex) {
				throw mismatch(value, ex);
			}
		}

		@Nullable Object missing() {
			if (this.defaultValue != null) {
				return defaultValue();
			}
			if (this.rawType == Optional.class) {
				return Optional.empty();
			}
			throw error("is missing and has no default");
		}

		/**
		 * Return the default, converted afresh on each call so a task that changes a
		 * default list does not change it for the next call (unlike Python).
		 */
		private @Nullable Object defaultValue() {
			String text = this.defaultValue;
			if (text == null || this.rawType == String.class) {
				return text;
			}
			try {
				return convert(this.mapper.readValue(text, Object.class));
			}
			catch (JacksonException | TaskArgumentException ex) {
				throw new IllegalStateException("@TaskParam(defaultValue = \"" + text + "\") of argument '" + this.name
						+ "' of task '" + this.taskName + "' is not a valid " + this.typeName
						+ ": defaults of parameters other than String are JSON values, such as 10, true, [1, 2] or"
						+ " \"text\".", ex);
			}
		}

		TaskArgumentException error(String problem) {
			return new TaskArgumentException(this.taskName, "Task '" + this.taskName + "' argument '" + this.name
					+ "' (" + this.typeName + ") " + problem + ".");
		}

		private TaskArgumentException mismatch(@Nullable Object value, @Nullable Exception cause) {
			String message = "Task '" + this.taskName + "' argument '" + this.name + "': expected " + this.typeName
					+ ", got " + shorten(PythonRepr.value(value)) + " (" + jsonType(value) + ")";
			String detail = (cause != null && !isScalar(value)) ? detail(cause) : null;
			message = message + ((detail != null) ? ": " + detail : "") + ".";
			return (cause != null) ? new TaskArgumentException(this.taskName, message, cause)
					: new TaskArgumentException(this.taskName, message);
		}

		/**
		 * Where inside a list, map or object the conversion failed, from Jackson's path.
		 */
		private static @Nullable String detail(Exception cause) {
			if (!(cause instanceof DatabindException databind) || databind.getPath().isEmpty()) {
				return null;
			}
			String path = databind.getPath()
				.stream()
				.map((reference) -> (reference.getPropertyName() != null) ? "." + reference.getPropertyName()
						: "[" + reference.getIndex() + "]")
				.collect(Collectors.joining());
			String reason = databind.getOriginalMessage();
			int hint = reason.indexOf(" (but ");
			return "at " + path.replaceFirst("^\\.", "") + ": " + ((hint > 0) ? reason.substring(0, hint) : reason);
		}

		private static boolean isScalar(@Nullable Object value) {
			return !(value instanceof List) && !(value instanceof Map);
		}

		private static String typeName(JavaType type) {
			if (!type.hasGenericTypes() && !type.isArrayType()) {
				return type.getRawClass().getSimpleName();
			}
			if (type.isArrayType()) {
				return typeName(type.getContentType()) + "[]";
			}
			List<String> parameters = new ArrayList<>();
			for (int i = 0; i < type.containedTypeCount(); i++) {
				parameters.add(typeName(type.containedType(i)));
			}
			return type.getRawClass().getSimpleName() + "<" + String.join(", ", parameters) + ">";
		}

		private static String jsonType(@Nullable Object value) {
			if (value == null) {
				return "null";
			}
			if (value instanceof String) {
				return "string";
			}
			if (value instanceof Boolean) {
				return "boolean";
			}
			if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
				return "float";
			}
			if (value instanceof Number) {
				return "integer";
			}
			if (value instanceof List) {
				return "list";
			}
			if (value instanceof Map) {
				return "object";
			}
			return value.getClass().getSimpleName();
		}

		@Override
		public String toString() {
			return this.typeName + " " + this.name;
		}

	}

}
