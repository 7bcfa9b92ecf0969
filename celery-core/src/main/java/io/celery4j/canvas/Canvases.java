package io.celery4j.canvas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Option handling shared by the canvas types.
 */
final class Canvases {

	private Canvases() {
	}

	/**
	 * Return options with a signature appended to a list option ({@code link},
	 * {@code link_error}) unless it is there already, as Celery's
	 * {@code append_to_list_option}.
	 */
	static Map<String, @Nullable Object> withListOption(Map<String, @Nullable Object> options, String name,
			Signature signature) {
		List<@Nullable Object> items = new ArrayList<>();
		Object current = options.get(name);
		if (current instanceof List<?> list) {
			items.addAll(list);
		}
		else if (current != null) {
			items.add(current);
		}
		Map<String, @Nullable Object> json = signature.toJson();
		if (!items.contains(json)) {
			items.add(json);
		}
		Map<String, @Nullable Object> result = new LinkedHashMap<>(options);
		result.put(name, JsonValues.list(items));
		return result;
	}

}
