package io.celery4j.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		map.put("correlation_id", properties.correlationId());
		map.put("reply_to", (properties.replyTo() != null) ? properties.replyTo() : "");
		map.put("delivery_mode", properties.deliveryMode());
		Map<String, @Nullable Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", properties.exchange());
		deliveryInfo.put("routing_key", properties.routingKey());
		map.put("delivery_info", deliveryInfo);
		map.put("priority", properties.priority());
		map.put("body_encoding", "base64");
		map.put("delivery_tag", properties.deliveryTag());
		properties.extra().forEach(map::putIfAbsent);
		return map;
	}

	/**
	 * Decode an envelope read from the broker.
	 * @param envelope the envelope JSON text
	 * @return the message
	 * @throws InvalidTaskException if the envelope, its content type or its body is not a
	 * valid JSON task message; the exception names the message id when known
	 */
	public TaskMessage decode(String envelope) {
		Map<String, @Nullable Object> root = asMap(parse(envelope, null, "envelope"), null, "envelope");
		Map<String, @Nullable Object> headers = asMap(root.getOrDefault("headers", Map.of()), null, "headers");
		Map<String, @Nullable Object> properties = asMap(root.getOrDefault("properties", Map.of()), null, "properties");
		String id = string(headers.get("id"));
		if (id == null) {
			id = string(properties.get("correlation_id"));
		}
		String contentType = string(root.get("content-type"));
		if (!CONTENT_TYPE.equals(contentType)) {
			throw new InvalidTaskException(id, "Rejected message " + describe(id, properties) + ": content type '"
					+ contentType + "' is not accepted; only " + CONTENT_TYPE + " is.");
		}
		String task = string(headers.get("task"));
		if (task == null || id == null) {
			throw new InvalidTaskException(id, "Rejected message " + describe(id, properties)
					+ ": not a protocol v2 task message (headers 'task' and 'id' are required).");
		}
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

	private static String describe(@Nullable String id, Map<String, @Nullable Object> properties) {
		if (id != null) {
			return id;
		}
		String tag = string(properties.get("delivery_tag"));
		return (tag != null) ? "with delivery tag " + tag : "without id";
	}

	private static String body(Map<String, @Nullable Object> root, Map<String, @Nullable Object> properties,
			String id) {
		Object body = root.get("body");
		if (!(body instanceof String text)) {
			throw new InvalidTaskException(id, "Rejected message " + id + ": body is missing or not a string.");
		}
		String encoding = string(properties.get("body_encoding"));
		if (encoding == null) {
			return text;
		}
		if (!encoding.equals("base64")) {
			throw new InvalidTaskException(id,
					"Rejected message " + id + ": body encoding '" + encoding + "' is not supported; only base64 is.");
		}
		try {
			return new String(Base64.getMimeDecoder().decode(text), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTaskException(id, "Rejected message " + id + ": body is not valid base64.", ex);
		}
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
			if (info.get("redelivered") != null) {
				extra.put("redelivered", info.get("redelivered"));
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
