package io.celery4j.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Reads and writes result records ({@link TaskMeta}) as the JSON text Celery stores under
 * {@code celery-task-meta-<id>} (PROTOCOL.md 3.2): fields in Celery's order
 * ({@code status, result, traceback, children, date_done}, then {@code group_id} and
 * {@code parent_id} when set, the {@code result_extended} fields when wanted, and
 * {@code task_id} last), written byte for byte as Python's {@code json.dumps}. Reading
 * accepts any JSON object with at least a {@code status}. Counterpart of Celery's
 * {@code Backend._get_result_meta} and {@code decode_result}.
 */
public final class TaskMetaCodec {

	/** The shared mapper, also reading the NaN and Infinity Python writes for floats. */
	private static final JsonMapper READER = Json.mapper()
		.rebuild()
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.build();

	private TaskMetaCodec() {
	}

	/**
	 * Write a record, with the extended fields when any of them is set.
	 * @param meta the record
	 * @return the JSON text
	 */
	public static String encode(TaskMeta meta) {
		return encode(meta, isExtended(meta));
	}

	/**
	 * Write a record.
	 * @param meta the record
	 * @param extended whether to write {@code name, args, kwargs, worker, retries, queue}
	 * (Celery's {@code result_extended}), as {@code null} where unknown
	 * @return the JSON text
	 */
	public static String encode(TaskMeta meta, boolean extended) {
		Assert.notNull(meta, "'meta' must not be null");
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("status", meta.status());
		fields.put("result", meta.result());
		fields.put("traceback", meta.traceback());
		fields.put("children", meta.children());
		fields.put("date_done", meta.dateDone());
		// Celery adds these only when the request has them (an empty string counts as
		// absent).
		if (meta.groupId() != null && !meta.groupId().isEmpty()) {
			fields.put("group_id", meta.groupId());
		}
		if (meta.parentId() != null && !meta.parentId().isEmpty()) {
			fields.put("parent_id", meta.parentId());
		}
		if (extended) {
			fields.put("name", meta.name());
			fields.put("args", meta.args());
			fields.put("kwargs", meta.kwargs());
			fields.put("worker", meta.worker());
			fields.put("retries", meta.retries());
			fields.put("queue", meta.queue());
		}
		fields.put("task_id", meta.taskId());
		return PythonJson.write(fields);
	}

	/**
	 * Return whether a record carries any of the {@code result_extended} fields.
	 * @param meta the record
	 * @return whether {@code name}, {@code args}, {@code kwargs}, {@code worker},
	 * {@code retries} or {@code queue} is set
	 */
	public static boolean isExtended(TaskMeta meta) {
		return meta.name() != null || meta.args() != null || meta.kwargs() != null || meta.worker() != null
				|| meta.retries() != null || meta.queue() != null;
	}

	/**
	 * Read a record.
	 * @param taskId the id the record was stored for, used when the record has no
	 * {@code task_id} (records of Celery before 4)
	 * @param json the stored text
	 * @return the record
	 * @throws IllegalArgumentException if the text is not a JSON object with a
	 * {@code status}, or a field has the wrong type; the message names the field
	 */
	public static TaskMeta decode(String taskId, String json) {
		Assert.notNull(json, "'json' must not be null");
		Object value;
		try {
			value = READER.readValue(json, Object.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Result record is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (!(value instanceof Map<?, ?> fields)) {
			throw new IllegalArgumentException("Result record must be a JSON object, got " + describe(value));
		}
		String status = string(fields, "status");
		if (status == null) {
			throw new IllegalArgumentException("Result record has no 'status'; got keys " + fields.keySet());
		}
		String recordId = string(fields, "task_id");
		List<@Nullable Object> children = list(fields, "children");
		return new TaskMeta((recordId != null) ? recordId : taskId, status, fields.get("result"),
				string(fields, "traceback"), (children != null) ? children : List.of(), string(fields, "date_done"),
				string(fields, "group_id"), string(fields, "parent_id"), string(fields, "name"), list(fields, "args"),
				map(fields, "kwargs"), string(fields, "worker"), integer(fields, "retries"), string(fields, "queue"));
	}

	private static @Nullable String string(Map<?, ?> fields, String name) {
		Object value = fields.get(name);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw wrongType(name, "a string", value);
	}

	@SuppressWarnings("unchecked")
	private static @Nullable List<@Nullable Object> list(Map<?, ?> fields, String name) {
		Object value = fields.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof List<?> list) {
			return new ArrayList<>((List<@Nullable Object>) list);
		}
		throw wrongType(name, "a list", value);
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, @Nullable Object> map(Map<?, ?> fields, String name) {
		Object value = fields.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Map<?, ?> map) {
			return new LinkedHashMap<>((Map<String, @Nullable Object>) map);
		}
		throw wrongType(name, "an object", value);
	}

	private static @Nullable Integer integer(Map<?, ?> fields, String name) {
		Object value = fields.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Integer number) {
			return number;
		}
		if (value instanceof Number number && number.longValue() == number.doubleValue()
				&& Math.abs(number.longValue()) <= Integer.MAX_VALUE) {
			return number.intValue();
		}
		throw wrongType(name, "an integer", value);
	}

	private static IllegalArgumentException wrongType(String name, String expected, Object value) {
		return new IllegalArgumentException(
				"Result record field '" + name + "' must be " + expected + ", got " + describe(value));
	}

	private static String describe(@Nullable Object value) {
		String text = PythonJson.write(value);
		String shown = (text.length() > 100) ? text.substring(0, 100) + "..." : text;
		String type = (value == null) ? "null"
				: (value instanceof String) ? "string"
						: (value instanceof Number) ? "number" : (value instanceof Boolean) ? "boolean"
								: (value instanceof List) ? "list" : (value instanceof Map) ? "object" : "value";
		return shown + " (" + type + ")";
	}

}
