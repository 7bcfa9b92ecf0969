package io.celery4j.protocol;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The one JSON mapper of the wire format and the conversions between Java objects and
 * plain JSON values ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}), the form arguments and results take in messages and
 * results.
 * <p>
 * Reading accepts what Python's {@code json.loads} accepts, including {@code NaN} and
 * {@code Infinity}. Converting to Java types never loses information silently: a float
 * does not become an {@code int} ({@code 2.5} is not {@code 2}), and a string is not
 * parsed into a number or a boolean ({@code "5"} is not {@code 5}), as a Python task
 * would not see them that way either. Records and beans are written with their properties
 * in declaration order, as Python writes a dict.
 */
public final class Json {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.withCoercionConfig(LogicalType.Integer, Json::noTextualCoercion)
		.withCoercionConfig(LogicalType.Float, Json::noTextualCoercion)
		.withCoercionConfig(LogicalType.Boolean,
				(config) -> noTextualCoercion(config).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
		.build();

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private Json() {
	}

	private static MutableCoercionConfig noTextualCoercion(MutableCoercionConfig config) {
		return config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
	}

	/**
	 * Return the mapper used for the wire format.
	 * @return the shared mapper
	 */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/**
	 * Parse JSON text into plain values.
	 * @param json the text
	 * @return the value: a map, list, string, number, boolean or {@code null}
	 * @throws JacksonException if the text is not JSON
	 */
	public static @Nullable Object read(String json) {
		return MAPPER.readValue(json, Object.class);
	}

	/**
	 * Write a value as compact JSON text.
	 * @param value the value
	 * @return the JSON text
	 */
	public static String write(@Nullable Object value) {
		return MAPPER.writeValueAsString(value);
	}

	/**
	 * Convert any Java value (records, beans, collections, primitives) into plain JSON
	 * values.
	 * @param value the value
	 * @return the plain value
	 * @throws IllegalArgumentException if the value cannot be written as JSON
	 */
	public static @Nullable Object toValue(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof Long || value instanceof Double) {
			return value;
		}
		if (value instanceof Float number) {
			// The digits Jackson writes for a float, not its binary expansion:
			// 0.1f stays 0.1 in the body, in argsrepr and in logs.
			return Double.valueOf(number.toString());
		}
		try {
			return MAPPER.convertValue(value, Object.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Convert positional arguments into plain JSON values.
	 * @param values the values
	 * @return a new mutable list of plain values
	 */
	public static List<@Nullable Object> toValues(List<?> values) {
		List<@Nullable Object> result = new ArrayList<>(values.size());
		for (Object value : values) {
			result.add(toValue(value));
		}
		return result;
	}

	/**
	 * Convert keyword arguments into plain JSON values, keeping their order.
	 * @param values the values by name
	 * @return a new mutable map of plain values
	 */
	public static Map<String, @Nullable Object> toValueMap(Map<String, ?> values) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		values.forEach((name, value) -> result.put(name, toValue(value)));
		return result;
	}

	/**
	 * Convert a plain JSON value into a Java type.
	 * @param <T> the target type
	 * @param value the plain value
	 * @param type the target class
	 * @return the converted value
	 * @throws IllegalArgumentException if the value does not fit the type
	 */
	public static <T> @Nullable T convert(@Nullable Object value, Class<T> type) {
		try {
			return MAPPER.convertValue(value, type);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Convert a plain JSON value into a generic Java type.
	 * @param value the plain value
	 * @param type the target type, for example a method's generic parameter type
	 * @return the converted value
	 * @throws IllegalArgumentException if the value does not fit the type
	 */
	public static @Nullable Object convert(@Nullable Object value, Type type) {
		JavaType javaType = MAPPER.constructType(type);
		try {
			return MAPPER.convertValue(value, javaType);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Append a JSON string as Python's {@code json.dumps} writes it with default
	 * settings: quotes, backslashes and the usual controls escaped with a backslash,
	 * everything else outside printable ASCII (other controls, DEL, non-ASCII) escaped as
	 * lowercase {@code \}{@code uXXXX} (astral characters as their surrogate pairs), as
	 * Celery writes result records and kombu its {@code unacked} entries.
	 * @param out where to append
	 * @param text the string
	 */
	public static void appendPythonString(StringBuilder out, CharSequence text) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> {
					if (c >= ' ' && c <= '~') {
						out.append(c);
					}
					else {
						out.append("\\u")
							.append(HEX[(c >> 12) & 0xF])
							.append(HEX[(c >> 8) & 0xF])
							.append(HEX[(c >> 4) & 0xF])
							.append(HEX[c & 0xF]);
					}
				}
			}
		}
		out.append('"');
	}

}
