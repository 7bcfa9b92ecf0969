package io.celery4j.canvas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;

/**
 * Deep copies of arguments and options as plain JSON values, so a {@link Signature}
 * shares nothing mutable with its caller; nested signatures become their JSON form.
 */
final class JsonValues {

	private JsonValues() {
	}

	static List<@Nullable Object> list(Collection<?> values) {
		List<@Nullable Object> copy = new ArrayList<>(values.size());
		for (Object value : values) {
			copy.add(frozen(value));
		}
		return copy;
	}

	static Map<String, @Nullable Object> map(Map<?, ?> values) {
		Map<String, @Nullable Object> copy = new LinkedHashMap<>();
		values.forEach((name, value) -> copy.put(String.valueOf(name), frozen(value)));
		return copy;
	}

	private static @Nullable Object frozen(@Nullable Object value) {
		if (value instanceof Signature signature) {
			return Collections.unmodifiableMap(map(signature.toJson()));
		}
		if (value instanceof Map<?, ?> map) {
			return Collections.unmodifiableMap(map(map));
		}
		if (value instanceof Collection<?> collection) {
			return Collections.unmodifiableList(list(collection));
		}
		if (value instanceof Object[] array) {
			return Collections.unmodifiableList(list(Arrays.asList(array)));
		}
		if (value instanceof Long number && number == number.intValue()) {
			// As Jackson reads it back: equal signatures stay equal after a round trip.
			return number.intValue();
		}
		Object plain = Json.toValue(value);
		// A bean or record becomes a map or list: freeze that too.
		return (plain instanceof Map || plain instanceof Collection) ? frozen(plain) : plain;
	}

}
