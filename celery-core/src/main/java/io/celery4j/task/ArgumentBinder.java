package io.celery4j.task;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
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
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Binds Celery's {@code args} and {@code kwargs} to a Java method's parameters the way
 * Python binds a call: positional first, then by keyword, then declared defaults
 * ({@link TaskParam#defaultValue()}). Values are converted by Jackson to the declared
 * types. A {@link TaskContext} parameter receives the request, like Celery's
 * {@code bind=True}. Mistakes raise {@link TaskArgumentException} naming the task, the
 * parameter and the expected type.
 */
public final class ArgumentBinder {

	private final String taskName;

	private final JsonMapper mapper;

	private final List<Slot> slots = new ArrayList<>();

	private final int contextIndex;

	private final int parameterCount;

	/**
	 * Prepare the binding of one method.
	 * @param taskName the task name, for messages
	 * @param method the method
	 * @param mapper the mapper that converts JSON values
	 * @throws IllegalStateException if a default value is not valid for its parameter
	 */
	public ArgumentBinder(String taskName, Method method, JsonMapper mapper) {
		Assert.hasText(taskName, "'taskName' must not be empty");
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(mapper, "'mapper' must not be null");
		this.taskName = taskName;
		this.mapper = mapper;
		this.parameterCount = method.getParameterCount();
		int context = -1;
		Parameter[] parameters = method.getParameters();
		for (int i = 0; i < parameters.length; i++) {
			if (TaskContext.class.isAssignableFrom(parameters[i].getType())) {
				context = i;
				continue;
			}
			this.slots.add(new Slot(i, parameters[i], mapper, taskName));
		}
		this.contextIndex = context;
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
			throw new TaskArgumentException(this.taskName, "Task '" + this.taskName + "' takes " + this.slots.size()
					+ " positional argument(s) " + parameterNames() + " but " + args.size() + " were given.");
		}
		Set<String> unknown = new LinkedHashSet<>(kwargs.keySet());
		@Nullable Object[] values = new Object[this.parameterCount];
		if (this.contextIndex >= 0) {
			values[this.contextIndex] = context;
		}
		for (int i = 0; i < this.slots.size(); i++) {
			Slot slot = this.slots.get(i);
			unknown.remove(slot.name());
			if (i < args.size()) {
				if (kwargs.containsKey(slot.name())) {
					throw new TaskArgumentException(this.taskName,
							"Task '" + this.taskName + "' got multiple values for argument '" + slot.name() + "'.");
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
		if (!unknown.isEmpty()) {
			throw new TaskArgumentException(this.taskName,
					"Task '" + this.taskName + "' got unexpected keyword argument(s) "
							+ unknown.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "))
							+ "; it accepts " + parameterNames() + ".");
		}
		return values;
	}

	/**
	 * One parameter that takes an argument.
	 */
	private static final class Slot {

		private final int index;

		private final String name;

		private final Class<?> rawType;

		private final JavaType type;

		private final String taskName;

		private final JsonMapper mapper;

		private final boolean hasDefault;

		private final @Nullable Object defaultValue;

		Slot(int index, Parameter parameter, JsonMapper mapper, String taskName) {
			this.index = index;
			this.mapper = mapper;
			this.taskName = taskName;
			TaskParam annotation = parameter.getAnnotation(TaskParam.class);
			this.name = (annotation != null && !annotation.name().isEmpty()) ? annotation.name() : parameter.getName();
			this.rawType = parameter.getType();
			Type generic = parameter.getParameterizedType();
			this.type = mapper.constructType(generic);
			this.hasDefault = annotation != null && !TaskParam.NO_DEFAULT.equals(annotation.defaultValue());
			this.defaultValue = this.hasDefault ? parseDefault(annotation.defaultValue()) : null;
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
					throw mismatch(null);
				}
				return (this.rawType == Optional.class) ? Optional.empty() : null;
			}
			try {
				return this.mapper.convertValue(value, this.type);
			}
			catch (JacksonException | IllegalArgumentException ex) {
				throw mismatch(value);
			}
		}

		@Nullable Object missing() {
			if (this.hasDefault) {
				return this.defaultValue;
			}
			if (this.rawType == Optional.class) {
				return Optional.empty();
			}
			throw new TaskArgumentException(this.taskName,
					"Task '" + this.taskName + "' missing required argument '" + this.name + "' (" + typeName() + ").");
		}

		private @Nullable Object parseDefault(String text) {
			try {
				if (this.rawType == String.class) {
					return text;
				}
				return convert(this.mapper.readValue(text, Object.class));
			}
			catch (JacksonException | TaskArgumentException ex) {
				throw new IllegalStateException("@TaskParam(defaultValue = \"" + text + "\") of parameter '" + this.name
						+ "' of task '" + this.taskName + "' is not a valid " + typeName()
						+ " (non-String defaults are JSON values).", ex);
			}
		}

		private TaskArgumentException mismatch(@Nullable Object value) {
			return new TaskArgumentException(this.taskName, "Task '" + this.taskName + "' argument '" + this.name
					+ "': expected " + typeName() + ", got " + PythonRepr.value(value) + " (" + jsonType(value) + ").");
		}

		private String typeName() {
			Type generic = this.type;
			return this.type.hasGenericTypes() ? this.type.toCanonical().replaceAll("[a-z]+\\.", "")
					: this.rawType.getSimpleName();
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
			if (value instanceof Double || value instanceof Float || value instanceof java.math.BigDecimal) {
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
			return this.name + " " + Arrays.toString(new Object[] { this.type });
		}

	}

}
