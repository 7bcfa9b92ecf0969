package io.celery4j.canvas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON form of signatures as Celery writes them and checks every nested
 * signature, so a bad field fails with its path ({@code kwargs.tasks[1].args}) instead of
 * somewhere later in a worker. Counterpart of Celery's {@code Signature.from_dict}.
 */
final class SignatureJson {

	/** Celery's registered signature types ({@code Signature.TYPES}). */
	private static final Set<String> SUBTASK_TYPES = Set.of(Signature.CHAIN, Signature.GROUP, Signature.CHORD, "xmap",
			"xstarmap", "chunks");

	private SignatureJson() {
	}

	static Signature read(@Nullable Object value, String path) {
		if (!(value instanceof Map<?, ?> json)) {
			throw new IllegalArgumentException(
					"Signature" + at(path) + " must be a JSON object with a 'task', got " + describe(value));
		}
		Object task = json.get("task");
		if (!(task instanceof String name) || name.isEmpty()) {
			throw wrongType(path, "task", "a task name", task);
		}
		List<?> args = list(json.get("args"), path, "args");
		Map<?, ?> kwargs = map(json.get("kwargs"), path, "kwargs");
		Map<?, ?> options = map(json.get("options"), path, "options");
		Object type = json.get("subtask_type");
		if (type != null && !(type instanceof String text && SUBTASK_TYPES.contains(text))) {
			throw wrongType(path, "subtask_type", "null or one of " + SUBTASK_TYPES, type);
		}
		Object immutable = json.get("immutable");
		if (immutable != null && !(immutable instanceof Boolean)) {
			throw wrongType(path, "immutable", "true or false", immutable);
		}
		Object chordSize = json.get("chord_size");
		if (chordSize != null && !(chordSize instanceof Integer)) {
			throw wrongType(path, "chord_size", "an integer", chordSize);
		}
		checkNested(name, (String) type, kwargs, path);
		checkOptions(options, path);
		@SuppressWarnings("unchecked")
		Map<String, ?> namedKwargs = (Map<String, ?>) kwargs;
		@SuppressWarnings("unchecked")
		Map<String, ?> namedOptions = (Map<String, ?>) options;
		return new Signature(name, args, namedKwargs, namedOptions, (String) type, Boolean.TRUE.equals(immutable),
				(Integer) chordSize);
	}

	private static void checkNested(String task, @Nullable String type, Map<?, ?> kwargs, String path) {
		if (Signature.CHAIN.equals(type) || Signature.GROUP.equals(type)) {
			readAll(kwargs.get("tasks"), field(path, "kwargs.tasks"));
		}
		else if (Signature.CHORD.equals(type)) {
			Object header = kwargs.get("header");
			if (header instanceof Map<?, ?>) {
				read(header, field(path, "kwargs.header"));
			}
			else {
				readAll(header, field(path, "kwargs.header"));
			}
			if (kwargs.get("body") != null) {
				read(kwargs.get("body"), field(path, "kwargs.body"));
			}
		}
		else if (BuiltinTasks.MAP.equals(task) || BuiltinTasks.STARMAP.equals(task)
				|| BuiltinTasks.CHUNKS.equals(task)) {
			read(kwargs.get("task"), field(path, "kwargs.task"));
			list(kwargs.get("it"), path, "kwargs.it");
			if (BuiltinTasks.CHUNKS.equals(task) && !(kwargs.get("n") instanceof Integer n && n > 0)) {
				throw wrongType(path, "kwargs.n", "a positive integer", kwargs.get("n"));
			}
		}
	}

	private static void checkOptions(Map<?, ?> options, String path) {
		signatures(options.get("link"), field(path, "options.link"));
		signatures(options.get("link_error"), field(path, "options.link_error"));
		if (options.get("chain") != null) {
			readAll(options.get("chain"), field(path, "options.chain"));
		}
		if (options.get("chord") != null) {
			read(options.get("chord"), field(path, "options.chord"));
		}
	}

	/**
	 * Read a Celery list option that may hold one signature or a list of them
	 * ({@code link}, {@code link_error}).
	 */
	static List<Signature> signatures(@Nullable Object value, String path) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof Map<?, ?>) {
			return List.of(read(value, path));
		}
		return readAll(value, path);
	}

	static List<Signature> readAll(@Nullable Object value, String path) {
		if (!(value instanceof List<?> list)) {
			throw new IllegalArgumentException(
					"Signature field '" + path + "' must be a list of signatures, got " + describe(value));
		}
		List<Signature> signatures = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			signatures.add(read(list.get(i), path + "[" + i + "]"));
		}
		return signatures;
	}

	private static List<?> list(@Nullable Object value, String path, String name) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			return list;
		}
		throw wrongType(path, name, "a list", value);
	}

	private static Map<?, ?> map(@Nullable Object value, String path, String name) {
		if (value == null) {
			return Map.of();
		}
		if (value instanceof Map<?, ?> map) {
			return map;
		}
		throw wrongType(path, name, "an object", value);
	}

	private static String field(String path, String name) {
		return path.isEmpty() ? name : path + "." + name;
	}

	private static String at(String path) {
		return path.isEmpty() ? "" : " '" + path + "'";
	}

	private static IllegalArgumentException wrongType(String path, String name, String expected,
			@Nullable Object value) {
		return new IllegalArgumentException(
				"Signature field '" + field(path, name) + "' must be " + expected + ", got " + describe(value));
	}

	static String describe(@Nullable Object value) {
		String text = Json.write(value);
		String shown = (text.length() > 100) ? text.substring(0, 100) + "..." : text;
		String type = (value == null) ? "null"
				: (value instanceof String) ? "string"
						: (value instanceof Number) ? "number" : (value instanceof Boolean) ? "boolean"
								: (value instanceof List) ? "list" : (value instanceof Map) ? "object" : "value";
		return shown + " (" + type + ")";
	}

}
