package io.celery4j.backend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Reads and writes a saved group result as Celery stores it under
 * {@code celery-task-meta-<group id>}'s sibling {@code celery-taskset-meta-<group id>}:
 * {@code {"result": [["<group id>", null], [[["<member id>", null], null], ...]]}}
 * (PROTOCOL.md 4.3, {@code vectors/result-groupmeta.json}), written byte for byte as
 * Python's {@code json.dumps}. Counterpart of Celery's {@code _save_group} and
 * {@code _restore_group}.
 */
public final class GroupMetaCodec {

	private GroupMetaCodec() {
	}

	/**
	 * Write a saved group record.
	 * @param result the group's result tuple as plain JSON values
	 * @return the JSON text
	 */
	public static String encode(Object result) {
		Assert.notNull(result, "'result' must not be null");
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("result", result);
		return PythonJson.write(fields);
	}

	/**
	 * Read a saved group record.
	 * @param groupId the group id, for the error message
	 * @param json the stored text
	 * @return the result tuple as plain JSON values
	 * @throws IllegalArgumentException if the text is not an object with a {@code result}
	 * list; the message names the group
	 */
	public static Object decode(String groupId, String json) {
		Object value;
		try {
			value = Json.read(json);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Saved group " + groupId + " is not valid JSON: " + ex.getMessage(), ex);
		}
		if (!(value instanceof Map<?, ?> fields) || !(fields.get("result") instanceof List<?> result)) {
			throw new IllegalArgumentException("Saved group " + groupId
					+ " must be a JSON object with a 'result' list ([[id, parent], [members]]), got "
					+ abbreviate(json));
		}
		return result;
	}

	private static String abbreviate(String text) {
		return (text.length() > 100) ? text.substring(0, 100) + "..." : text;
	}

}
