package io.celery4j.backend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The exception record stored as the {@code result} of FAILURE, RETRY and REVOKED
 * (PROTOCOL.md 3.4): {@code exc_type}, {@code exc_message} (the exception's args as a
 * list) and {@code exc_module}.
 *
 * @param type the exception class name, for example {@code ValueError}
 * @param arguments the exception's args, usually one message string
 * @param module the module to find the class in, for example {@code builtins}
 */
public record ExceptionInfo(String type, List<@Nullable Object> arguments, @Nullable String module) {

	/**
	 * Return the exception message: the single argument, or all arguments joined.
	 * @return the message
	 */
	public String message() {
		if (this.arguments.size() == 1) {
			return String.valueOf(this.arguments.get(0));
		}
		return String.join(", ", this.arguments.stream().map(String::valueOf).toList());
	}

	/**
	 * Return the record as it is stored in the backend.
	 * @return a map with {@code exc_type}, {@code exc_message}, {@code exc_module}
	 */
	public Map<String, @Nullable Object> toMap() {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		map.put("exc_type", this.type);
		map.put("exc_message", this.arguments);
		map.put("exc_module", this.module);
		return map;
	}

	/**
	 * Read an exception record from a stored result value.
	 * @param value the {@code result} value of a stored record
	 * @return the exception info, or {@code null} if the value is not an exception record
	 */
	@SuppressWarnings("unchecked")
	public static @Nullable ExceptionInfo fromValue(@Nullable Object value) {
		if (!(value instanceof Map<?, ?> map) || !(map.get("exc_type") instanceof String type)) {
			return null;
		}
		Object message = map.get("exc_message");
		List<@Nullable Object> arguments = (message instanceof List<?> list) ? (List<@Nullable Object>) list
				: java.util.Collections.singletonList(message);
		Object module = map.get("exc_module");
		return new ExceptionInfo(type, arguments, (module != null) ? module.toString() : null);
	}

}
