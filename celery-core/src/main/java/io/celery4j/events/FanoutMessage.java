package io.celery4j.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;

/**
 * A kombu message envelope as events and remote control use it: a JSON body, base64
 * encoded, with headers and properties (PROTOCOL.md 1.1, 6.1, 7.2 and 7.3).
 *
 * @param headers the message headers, for example {@code {"hostname": "celery@vm"}}
 * @param deliveryMode 1 for events and replies, 2 for remote control requests
 * @param exchange the exchange, for example {@code celeryev}
 * @param routingKey the routing key, for example {@code worker.heartbeat}
 * @param body the decoded body: a map or a list of plain JSON values
 */
public record FanoutMessage(Map<String, @Nullable Object> headers, int deliveryMode, String exchange, String routingKey,
		@Nullable Object body) {

	/**
	 * Write the envelope as kombu does, with a new delivery tag.
	 * @return the envelope JSON text
	 */
	public String encode() {
		String json = Json.write(this.body);
		Map<String, @Nullable Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", this.exchange);
		deliveryInfo.put("routing_key", this.routingKey);
		Map<String, @Nullable Object> properties = new LinkedHashMap<>();
		properties.put("delivery_mode", this.deliveryMode);
		properties.put("delivery_info", deliveryInfo);
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
		envelope.put("body", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
		envelope.put("content-encoding", "utf-8");
		envelope.put("content-type", "application/json");
		envelope.put("headers", this.headers);
		envelope.put("properties", properties);
		return Json.write(envelope);
	}

	/**
	 * Read an envelope written by kombu or by {@link #encode()}.
	 * @param envelope the envelope JSON text
	 * @return the message
	 * @throws IllegalArgumentException if the text is not a kombu envelope with a JSON
	 * body; the message says what is wrong
	 */
	public static FanoutMessage decode(String envelope) {
		Object parsed;
		try {
			parsed = Json.read(envelope);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Message is not JSON: " + ex.getMessage(), ex);
		}
		if (!(parsed instanceof Map<?, ?> root)) {
			throw new IllegalArgumentException("Message is not a kombu envelope (a JSON object)");
		}
		Object contentType = root.get("content-type");
		if (contentType != null && !"application/json".equals(contentType)) {
			throw new IllegalArgumentException(
					"Message content type '" + contentType + "' is not accepted; only application/json is");
		}
		Map<String, @Nullable Object> properties = stringMap(root.get("properties"));
		Map<String, @Nullable Object> deliveryInfo = stringMap(properties.get("delivery_info"));
		Object mode = properties.get("delivery_mode");
		return new FanoutMessage(stringMap(root.get("headers")),
				(mode instanceof Number number) ? number.intValue() : 2,
				String.valueOf(deliveryInfo.getOrDefault("exchange", "")),
				String.valueOf(deliveryInfo.getOrDefault("routing_key", "")),
				body(root.get("body"), properties.get("body_encoding")));
	}

	private static @Nullable Object body(@Nullable Object body, @Nullable Object encoding) {
		if (!(body instanceof String text)) {
			return body;
		}
		String json = text;
		if ("base64".equals(encoding)) {
			try {
				json = new String(Base64.getMimeDecoder().decode(text), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Message body is not base64: " + ex.getMessage(), ex);
			}
		}
		try {
			return Json.read(json);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Message body is not JSON: " + ex.getMessage(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> stringMap(@Nullable Object value) {
		return (value instanceof Map<?, ?> map) ? (Map<String, @Nullable Object>) map : new LinkedHashMap<>();
	}

}
