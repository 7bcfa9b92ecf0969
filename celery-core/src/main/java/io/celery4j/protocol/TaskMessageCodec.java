package io.celery4j.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Reads and writes protocol v2 task messages as kombu JSON envelopes with a base64 body
 * (PROTOCOL.md 1.1 to 1.3). Only {@code application/json} is ever decoded: any other
 * content type (pickle, yaml, msgpack, Java serialization) is refused before the body is
 * looked at.
 */
public final class TaskMessageCodec {

	/** The only content type accepted, as Celery's {@code accept_content = ['json']}. */
	public static final String CONTENT_TYPE = "application/json";

	private static final Set<String> KNOWN_HEADERS = Set.of("lang", "task", "id", "shadow", "eta", "expires", "group",
			"group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
			"ignore_result");

	private static final Set<String> KNOWN_PROPERTIES = Set.of("correlation_id", "reply_to", "delivery_mode",
			"delivery_info", "priority", "body_encoding", "delivery_tag");

	private static final Set<String> UTF_8 = Set.of("utf-8", "utf8");

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	/**
	 * kombu's per-message TTL in milliseconds, a string, set when the task has expires.
	 */
	private static final String EXPIRATION = "expiration";

	/** Set in delivery_info (and headers) when a message was given back to the queue. */
	private static final String REDELIVERED = "redelivered";

	/**
	 * Encode a message into the envelope JSON text that goes onto a Redis list.
	 * @param message the message
	 * @return the envelope as JSON text
	 */
	public String encode(TaskMessage message) {
		Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
		envelope.put("body", encodeBody(message));
		envelope.put("content-encoding", "utf-8");
		envelope.put("content-type", CONTENT_TYPE);
		envelope.put("headers", headers(message.headers()));
		envelope.put("properties", properties(message.properties()));
		return Json.write(envelope);
	}

	private static String encodeBody(TaskMessage message) {
		Embed embed = message.embed();
		Map<String, @Nullable Object> embedMap = new LinkedHashMap<>();
		embedMap.put("callbacks", embed.callbacks());
		embedMap.put("errbacks", embed.errbacks());
		embedMap.put("chain", embed.chain());
		embedMap.put("chord", embed.chord());
		String body = Json.write(List.of(message.args(), message.kwargs(), embedMap));
		return Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
	}

	private static Map<String, @Nullable Object> headers(TaskHeaders headers) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		map.put("lang", headers.lang());
		map.put("task", headers.task());
		map.put("id", headers.id());
		map.put("shadow", headers.shadow());
		map.put("eta", headers.eta());
		map.put("expires", headers.expires());
		map.put("group", headers.group());
		map.put("group_index", headers.groupIndex());
		map.put("retries", headers.retries());
		map.put("timelimit", headers.timeLimit());
		map.put("root_id", headers.rootId());
		map.put("parent_id", headers.parentId());
		map.put("argsrepr", headers.argsRepr());
		map.put("kwargsrepr", headers.kwargsRepr());
		map.put("origin", headers.origin());
		map.put("ignore_result", headers.ignoreResult());
		headers.extra().forEach(map::putIfAbsent);
		return map;
	}

	private static Map<String, @Nullable Object> properties(MessageProperties properties) {
		// kombu's order: Celery's properties (correlation_id, reply_to, then extras
		// such as replaced_task_nesting and origin on a retry), then kombu's own.
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		Map<String, @Nullable Object> extra = properties.extra();
		map.put("correlation_id", properties.correlationId());
		map.put("reply_to", (properties.replyTo() != null) ? properties.replyTo() : "");
		extra.forEach((name, value) -> {
			if (!name.equals(EXPIRATION) && !name.equals(REDELIVERED) && !KNOWN_PROPERTIES.contains(name)) {
				map.put(name, value);
			}
		});
		map.put("delivery_mode", properties.deliveryMode());
		if (extra.containsKey(EXPIRATION)) {
			map.put(EXPIRATION, extra.get(EXPIRATION));
		}
		Map<String, @Nullable Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", properties.exchange());
		deliveryInfo.put("routing_key", properties.routingKey());
		if (extra.containsKey(REDELIVERED)) {
			deliveryInfo.put(REDELIVERED, extra.get(REDELIVERED));
		}
		map.put("delivery_info", deliveryInfo);
		map.put("priority", properties.priority());
		map.put("body_encoding", "base64");
		map.put("delivery_tag", properties.deliveryTag());
		return map;
	}

	/**
	 * Decode an envelope read from the broker. Checks run in the order a Celery worker
	 * applies them: the content type first (nothing else is decoded when it is not
	 * {@code application/json}), then the protocol v2 headers, then the body.
	 * @param envelope the envelope JSON text
	 * @return the message
	 * @throws InvalidTaskException if the envelope, its content type or its body is not a
	 * valid JSON task message; the exception names the message id when known and the
	 * problem
	 */
	public TaskMessage decode(String envelope) {
		return decode(envelope, null);
	}

	/**
	 * Decode an envelope a transport parsed already, as {@link #decode(String)} does
	 * without parsing the text again.
	 * @param envelope the envelope JSON text
	 * @param parsed the same text as plain JSON values ({@link Json#read(String)}), or
	 * {@code null} to parse the text
	 * @return the message
	 * @throws InvalidTaskException if the envelope, its content type or its body is not a
	 * valid JSON task message
	 */
	public TaskMessage decode(String envelope, @Nullable Map<String, @Nullable Object> parsed) {
		Map<String, @Nullable Object> root = (parsed != null) ? parsed
				: asMap(parse(envelope, null, "envelope"), null, "envelope");
		Map<String, @Nullable Object> headers = asMap(root.getOrDefault("headers", Map.of()), null, "headers");
		Map<String, @Nullable Object> properties = asMap(root.getOrDefault("properties", Map.of()), null, "properties");
		String id = text(headers.get("id"));
		if (id == null) {
			id = text(properties.get("correlation_id"));
		}
		String name = describe(id, properties);
		checkContent(root, id, name);
		if (headers.get("task") == null) {
			throw new InvalidTaskException(id,
					"Rejected message " + name
							+ ": no 'task' header, so not a protocol v2 task message (protocol v1 is not supported;"
							+ " send with Celery's default task_protocol = 2).");
		}
		String task = requiredText(headers, "task", id, name);
		requiredText(headers, "id", id, name + " of task '" + task + "'");
		List<@Nullable Object> body = asList(parse(body(root, properties, id), id, "body"), id, "body");
		if (body.size() != 3) {
			throw new InvalidTaskException(id, "Rejected message " + id + ": body must be [args, kwargs, embed], got "
					+ body.size() + " element(s).");
		}
		List<@Nullable Object> args = (body.get(0) != null) ? asList(body.get(0), id, "args") : new ArrayList<>();
		Map<String, @Nullable Object> kwargs = (body.get(1) != null) ? asMap(body.get(1), id, "kwargs")
				: new LinkedHashMap<>();
		Embed embed = embed(body.get(2), id);
		return new TaskMessage(taskHeaders(headers, task, id), messageProperties(properties), args, kwargs, embed);
	}

	private static void checkContent(Map<String, @Nullable Object> root, @Nullable String id, String name) {
		Object contentType = root.get("content-type");
		if (!CONTENT_TYPE.equals(contentType)) {
			String problem = (contentType != null) ? "content type '" + contentType + "' is not accepted"
					: "content type is missing";
			throw new InvalidTaskException(id,
					"Rejected message " + name + ": " + problem + "; only " + CONTENT_TYPE + " is.");
		}
		Object encoding = root.get("content-encoding");
		if (encoding != null && !UTF_8.contains(encoding.toString().toLowerCase(Locale.ROOT))) {
			throw new InvalidTaskException(id, "Rejected message " + name + ": content encoding '" + encoding
					+ "' is not supported; only utf-8 is.");
		}
	}

	private static String requiredText(Map<String, @Nullable Object> headers, String header, @Nullable String id,
			String name) {
		Object value = headers.get(header);
		String text = text(value);
		if (text == null) {
			throw new InvalidTaskException(id, "Rejected message " + name + ": header '" + header
					+ "' must be a non-empty string, got " + ((value != null) ? Json.write(value) : "none") + ".");
		}
		return text;
	}

	private static String describe(@Nullable String id, Map<String, @Nullable Object> properties) {
		if (id != null) {
			return id;
		}
		String tag = text(properties.get("delivery_tag"));
		return (tag != null) ? "with delivery tag " + tag : "without id";
	}

	private static String body(Map<String, @Nullable Object> root, Map<String, @Nullable Object> properties,
			String id) {
		Object body = root.get("body");
		if (!(body instanceof String text)) {
			throw new InvalidTaskException(id, "Rejected message " + id + ": body is missing or not a string.");
		}
		Object encoding = properties.get("body_encoding");
		if (encoding == null) {
			return text;
		}
		if (!encoding.equals("base64")) {
			throw new InvalidTaskException(id,
					"Rejected message " + id + ": body encoding '" + encoding + "' is not supported; only base64 is.");
		}
		byte[] bytes;
		try {
			// Whitespace is tolerated (base64 may be wrapped); any other character
			// is an error rather than skipped, so a damaged body is reported.
			bytes = Base64.getDecoder().decode(hasWhitespace(text) ? WHITESPACE.matcher(text).replaceAll("") : text);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTaskException(id,
					"Rejected message " + id + ": body is not valid base64 (" + ex.getMessage() + ").", ex);
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidTaskException(id, "Rejected message " + id + ": body is not valid UTF-8.", ex);
		}
	}

	private static boolean hasWhitespace(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (Character.isWhitespace(text.charAt(i))) {
				return true;
			}
		}
		return false;
	}

	@SuppressWarnings("unchecked")
	private static Embed embed(@Nullable Object value, String id) {
		if (value == null) {
			return Embed.empty();
		}
		Map<String, @Nullable Object> map = asMap(value, id, "embed");
		return new Embed((List<Map<String, @Nullable Object>>) signatures(map.get("callbacks"), id, "callbacks"),
				(List<Map<String, @Nullable Object>>) signatures(map.get("errbacks"), id, "errbacks"),
				(List<Map<String, @Nullable Object>>) signatures(map.get("chain"), id, "chain"),
				(map.get("chord") != null) ? asMap(map.get("chord"), id, "embed.chord") : null);
	}

	private static @Nullable List<?> signatures(@Nullable Object value, String id, String field) {
		if (value == null) {
			return null;
		}
		List<@Nullable Object> list = asList(value, id, "embed." + field);
		for (Object element : list) {
			asMap(element, id, "embed." + field + " element");
		}
		return list;
	}

	private static TaskHeaders taskHeaders(Map<String, @Nullable Object> headers, String task, String id) {
		Map<String, @Nullable Object> extra = new LinkedHashMap<>();
		headers.forEach((name, value) -> {
			if (!KNOWN_HEADERS.contains(name)) {
				extra.put(name, value);
			}
		});
		List<@Nullable Number> timeLimit = new ArrayList<>(List.of());
		if (headers.get("timelimit") instanceof List<?> limits) {
			for (Object limit : limits) {
				timeLimit.add((limit instanceof Number number) ? number : null);
			}
		}
		while (timeLimit.size() < 2) {
			timeLimit.add(null);
		}
		String rootId = string(headers.get("root_id"));
		return new TaskHeaders(orDefault(string(headers.get("lang")), "py"), task, id, string(headers.get("shadow")),
				string(headers.get("eta")), string(headers.get("expires")), string(headers.get("group")),
				integer(headers.get("group_index")), orZero(integer(headers.get("retries"))), timeLimit,
				(rootId != null) ? rootId : id, string(headers.get("parent_id")),
				orDefault(string(headers.get("argsrepr")), ""), orDefault(string(headers.get("kwargsrepr")), ""),
				orDefault(string(headers.get("origin")), ""), Boolean.TRUE.equals(headers.get("ignore_result")), extra);
	}

	private static MessageProperties messageProperties(Map<String, @Nullable Object> properties) {
		Map<String, @Nullable Object> extra = new LinkedHashMap<>();
		properties.forEach((name, value) -> {
			if (!KNOWN_PROPERTIES.contains(name)) {
				extra.put(name, value);
			}
		});
		String exchange = "";
		String routingKey = "";
		if (properties.get("delivery_info") instanceof Map<?, ?> info) {
			exchange = orDefault(string(info.get("exchange")), "");
			routingKey = orDefault(string(info.get("routing_key")), "");
			if (info.get(REDELIVERED) != null) {
				extra.put(REDELIVERED, info.get(REDELIVERED));
			}
		}
		Integer priority = integer(properties.get("priority"));
		Integer mode = integer(properties.get("delivery_mode"));
		return new MessageProperties(string(properties.get("correlation_id")), string(properties.get("reply_to")),
				(mode != null) ? mode : 2, exchange, routingKey, Math.max(0, Math.min(9, orZero(priority))),
				orDefault(string(properties.get("delivery_tag")), ""), extra);
	}

	private static @Nullable Object parse(String json, @Nullable String id, String what) {
		try {
			return Json.read(json);
		}
		catch (JacksonException ex) {
			throw new InvalidTaskException(id, "Rejected message " + ((id != null) ? id : "without id") + ": " + what
					+ " is not valid JSON (" + ex.getOriginalMessage() + ").", ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> asMap(@Nullable Object value, @Nullable String id, String what) {
		if (value instanceof Map<?, ?> map) {
			return (Map<String, @Nullable Object>) map;
		}
		throw new InvalidTaskException(id, "Rejected message " + ((id != null) ? id : "without id") + ": " + what
				+ " must be a JSON object, got " + typeName(value) + ".");
	}

	@SuppressWarnings("unchecked")
	private static List<@Nullable Object> asList(@Nullable Object value, @Nullable String id, String what) {
		if (value instanceof List<?> list) {
			return (List<@Nullable Object>) list;
		}
		throw new InvalidTaskException(id, "Rejected message " + ((id != null) ? id : "without id") + ": " + what
				+ " must be a JSON array, got " + typeName(value) + ".");
	}

	private static String typeName(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof String) {
			return "a string";
		}
		if (value instanceof Number) {
			return "a number";
		}
		if (value instanceof Boolean) {
			return "a boolean";
		}
		if (value instanceof List) {
			return "an array";
		}
		return "an object";
	}

	private static @Nullable String string(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof String text && !text.isEmpty()) ? text : null;
	}

	private static @Nullable Integer integer(@Nullable Object value) {
		return (value instanceof Number number) ? number.intValue() : null;
	}

	private static int orZero(@Nullable Integer value) {
		return (value != null) ? value : 0;
	}

	private static String orDefault(@Nullable String value, String fallback) {
		return (value != null) ? value : fallback;
	}

}
