package io.celery4j.broker.redis;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A value of kombu's {@code unacked} hash: {@code [<message>, "<exchange>",
 * "<routing_key>"]} (PROTOCOL.md 2.3, {@code vectors/unacked-entry.json}).
 * <p>
 * The message is embedded as it came from the queue rather than re-serialised, so that a
 * message written by Python is stored byte for byte as kombu stores it. A message that is
 * not a JSON object is stored as a JSON string instead, which keeps the entry valid JSON
 * for every kombu consumer that reads it.
 *
 * @param message the message text
 * @param object whether the message is a JSON object (an envelope) rather than text kept
 * as a string
 * @param exchange the exchange it was published to
 * @param routingKey the routing key it was published with, if any
 */
record UnackedEntry(String message, boolean object, String exchange, @Nullable String routingKey) {

	/**
	 * Write an entry the way kombu's {@code json.dumps} does.
	 */
	static String write(String envelope, boolean wellFormed, String exchange, String routingKey) {
		StringBuilder entry = new StringBuilder(envelope.length() + exchange.length() + routingKey.length() + 16);
		entry.append('[');
		if (wellFormed) {
			entry.append(envelope);
		}
		else {
			Json.appendPythonString(entry, envelope);
		}
		entry.append(", ");
		Json.appendPythonString(entry, exchange);
		entry.append(", ");
		Json.appendPythonString(entry, routingKey);
		return entry.append(']').toString();
	}

	/**
	 * Write the entry of a message that is a JSON object from its bytes as taken from the
	 * queue, as {@link #write(String, boolean, String, String)} does, with one copy of
	 * the message.
	 */
	static byte[] write(byte[] envelope, String exchange, String routingKey) {
		StringBuilder tail = new StringBuilder(exchange.length() + routingKey.length() + 8);
		tail.append(", ");
		Json.appendPythonString(tail, exchange);
		tail.append(", ");
		Json.appendPythonString(tail, routingKey);
		byte[] suffix = KombuKeys.bytes(tail.append(']').toString());
		byte[] entry = new byte[1 + envelope.length + suffix.length];
		entry[0] = '[';
		System.arraycopy(envelope, 0, entry, 1, envelope.length);
		System.arraycopy(suffix, 0, entry, 1 + envelope.length, suffix.length);
		return entry;
	}

	/**
	 * Read an entry written by kombu or by {@link #write}.
	 * @return the entry, or {@code null} when the value does not have the expected shape
	 */
	static @Nullable UnackedEntry read(String value) {
		try (JsonParser parser = Json.mapper().createParser(value)) {
			if (parser.nextToken() != JsonToken.START_ARRAY) {
				return null;
			}
			JsonToken first = parser.nextToken();
			String message;
			if (first == JsonToken.START_OBJECT || first == JsonToken.START_ARRAY) {
				int start = (int) parser.currentTokenLocation().getCharOffset();
				parser.skipChildren();
				int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
				message = value.substring(start, end);
			}
			else if (first == JsonToken.VALUE_STRING) {
				message = parser.getString();
			}
			else {
				return null;
			}
			String exchange = optionalString(parser);
			String routingKey = optionalString(parser);
			return new UnackedEntry(message, first == JsonToken.START_OBJECT, (exchange != null) ? exchange : "",
					routingKey);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return null;
		}
	}

	private static @Nullable String optionalString(JsonParser parser) {
		JsonToken token = parser.nextToken();
		if (token == JsonToken.VALUE_STRING) {
			return parser.getString();
		}
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		throw new IllegalArgumentException("Expected a string or null, got " + token);
	}

}
