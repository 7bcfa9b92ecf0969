package io.celery4j.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * What a transport reads from and changes in a kombu message envelope (PROTOCOL.md 1.1)
 * without decoding the task: the delivery tag and delivery info a consumer records, and
 * the redelivered marks kombu adds when it puts a message back.
 * <p>
 * The envelope text is never re-serialised when it does not have to be: marks are
 * inserted where Python's {@code json.dumps} would put them, so a message written by
 * Python comes back byte for byte as kombu would write it, and numbers, key order and
 * escapes are kept as they were.
 */
public final class Envelopes {

	private static final String REDELIVERED = "\"redelivered\": true";

	private Envelopes() {
	}

	/**
	 * Read the delivery tag and delivery info of an envelope. Never throws: text that is
	 * not a JSON object comes back as not well formed with every field {@code null}.
	 * @param envelope the envelope JSON text as taken from a queue
	 * @return what was found
	 */
	public static Info inspect(String envelope) {
		try (JsonParser parser = Json.mapper().createParser(envelope)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return Info.MALFORMED;
			}
			String[] found = new String[3];
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				if (parser.nextToken() == JsonToken.START_OBJECT && "properties".equals(name)) {
					readProperties(parser, found);
				}
				else {
					parser.skipChildren();
				}
			}
			if (parser.nextToken() != null) {
				return Info.MALFORMED;
			}
			return new Info(true, found[0], found[1], found[2]);
		}
		catch (JacksonException ex) {
			return Info.MALFORMED;
		}
	}

	/**
	 * Parse an envelope once for the transport and the worker: the delivery tag and
	 * delivery info as {@link #inspect(String)} reads them, and a delivery that carries
	 * the parsed tree on to the codec. Never throws.
	 * @param queue the queue it was fetched from (base name)
	 * @param envelope the envelope JSON text as taken from the queue
	 * @return the delivery, and whether the text is one well-formed JSON object
	 */
	public static Parsed parse(String queue, String envelope) {
		return parse(queue, envelope, null);
	}

	/**
	 * Parse an envelope as {@link #parse(String, String)} does, reading the bytes it came
	 * in (Jackson reads UTF-8 bytes faster than a {@code String}).
	 * @param queue the queue it was fetched from (base name)
	 * @param envelope the envelope JSON text as taken from the queue
	 * @param utf8 the same text as UTF-8 bytes, or {@code null} to read the text
	 * @return the delivery, and whether the text is one well-formed JSON object
	 */
	public static Parsed parse(String queue, String envelope, byte @Nullable [] utf8) {
		Map<String, @Nullable Object> tree = readObject(envelope, utf8);
		if (tree == null && utf8 != null) {
			// Bytes that are not valid UTF-8 came in as text with replacement
			// characters: judge that text, as without the bytes.
			tree = readObject(envelope, null);
		}
		if (tree == null) {
			return new Parsed(Info.MALFORMED.delivery(queue, envelope), false);
		}
		String tag = null;
		String exchange = null;
		String routingKey = null;
		if (tree.get("properties") instanceof Map<?, ?> properties) {
			tag = (properties.get("delivery_tag") instanceof String text) ? text : null;
			if (properties.get("delivery_info") instanceof Map<?, ?> info) {
				exchange = (info.get("exchange") instanceof String text) ? text : null;
				routingKey = (info.get("routing_key") instanceof String text) ? text : null;
			}
		}
		Info info = new Info(true, tag, exchange, routingKey);
		return new Parsed(info.delivery(queue, envelope, tree), true);
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, @Nullable Object> readObject(String envelope, byte @Nullable [] utf8) {
		try (JsonParser parser = (utf8 != null) ? Json.mapper().createParser(utf8)
				: Json.mapper().createParser(envelope)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			Object value = Json.mapper().readValue(parser, Object.class);
			return (value instanceof Map<?, ?> map && parser.nextToken() == null) ? (Map<String, @Nullable Object>) map
					: null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static void readProperties(JsonParser parser, String[] found) {
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if ("delivery_tag".equals(name) && value == JsonToken.VALUE_STRING) {
				found[0] = parser.getString();
			}
			else if ("delivery_info".equals(name) && value == JsonToken.START_OBJECT) {
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String field = parser.currentName();
					JsonToken fieldValue = parser.nextToken();
					if (fieldValue == JsonToken.VALUE_STRING && "exchange".equals(field)) {
						found[1] = parser.getString();
					}
					else if (fieldValue == JsonToken.VALUE_STRING && "routing_key".equals(field)) {
						found[2] = parser.getString();
					}
					else {
						parser.skipChildren();
					}
				}
			}
			else {
				parser.skipChildren();
			}
		}
	}

	/**
	 * Mark an envelope as redelivered the way kombu's {@code _do_restore_message} does:
	 * {@code headers.redelivered = true}, then
	 * {@code properties.delivery_info.redelivered = true}. Like kombu, nothing changes
	 * when there are no headers, and only the headers are marked when there is no
	 * delivery info. Text that is not a JSON object is returned unchanged, so that it is
	 * still given back rather than lost.
	 * @param envelope the envelope JSON text
	 * @return the marked envelope
	 */
	public static String markRedelivered(String envelope) {
		Marks marks;
		try {
			marks = findMarks(envelope);
		}
		catch (JacksonException ex) {
			return envelope;
		}
		if (marks == null || marks.headers == null) {
			return envelope;
		}
		if (marks.headers.needsRewrite() || (marks.deliveryInfo != null && marks.deliveryInfo.needsRewrite())) {
			return rewrite(envelope);
		}
		List<ObjectScan> inserts = new ArrayList<>(2);
		if (marks.deliveryInfo != null && !marks.deliveryInfo.alreadyTrue) {
			inserts.add(marks.deliveryInfo);
		}
		if (!marks.headers.alreadyTrue) {
			inserts.add(marks.headers);
		}
		inserts.sort((a, b) -> Integer.compare(b.closeOffset, a.closeOffset));
		StringBuilder marked = new StringBuilder(envelope.length() + 2 * (REDELIVERED.length() + 2));
		marked.append(envelope);
		for (ObjectScan scan : inserts) {
			marked.insert(scan.closeOffset, scan.empty ? REDELIVERED : ", " + REDELIVERED);
		}
		return marked.toString();
	}

	private static @Nullable Marks findMarks(String envelope) {
		try (JsonParser parser = Json.mapper().createParser(envelope)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			Marks marks = new Marks();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("headers".equals(name) && value == JsonToken.START_OBJECT) {
					marks.headers = scanObject(parser);
				}
				else if ("properties".equals(name) && value == JsonToken.START_OBJECT) {
					while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
						String property = parser.currentName();
						if (parser.nextToken() == JsonToken.START_OBJECT && "delivery_info".equals(property)) {
							marks.deliveryInfo = scanObject(parser);
						}
						else {
							parser.skipChildren();
						}
					}
				}
				else {
					parser.skipChildren();
				}
			}
			return (parser.nextToken() == null) ? marks : null;
		}
	}

	private static ObjectScan scanObject(JsonParser parser) {
		int fields = 0;
		boolean alreadyTrue = false;
		boolean otherValue = false;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			fields++;
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if ("redelivered".equals(name)) {
				alreadyTrue = value == JsonToken.VALUE_TRUE;
				otherValue = !alreadyTrue;
			}
			parser.skipChildren();
		}
		int closeOffset = (int) parser.currentTokenLocation().getCharOffset();
		return new ObjectScan(closeOffset, fields == 0, alreadyTrue, otherValue);
	}

	@SuppressWarnings("unchecked")
	private static String rewrite(String envelope) {
		// A 'redelivered' key with another value than true: rare enough to re-serialise.
		Map<String, @Nullable Object> root = (Map<String, @Nullable Object>) Json.read(envelope);
		if (root == null) {
			return envelope;
		}
		((Map<String, @Nullable Object>) root.get("headers")).put("redelivered", true);
		if (root.get("properties") instanceof Map<?, ?> properties
				&& properties.get("delivery_info") instanceof Map<?, ?> deliveryInfo) {
			((Map<String, @Nullable Object>) deliveryInfo).put("redelivered", true);
		}
		return Json.write(root);
	}

	private static final class Marks {

		private @Nullable ObjectScan headers;

		private @Nullable ObjectScan deliveryInfo;

	}

	private record ObjectScan(int closeOffset, boolean empty, boolean alreadyTrue, boolean otherValue) {

		boolean needsRewrite() {
			return this.otherValue;
		}

	}

	/**
	 * An envelope parsed once.
	 *
	 * @param delivery the delivery, carrying the parsed tree when well formed
	 * @param wellFormed whether the text is one well-formed JSON object
	 */
	public record Parsed(Delivery delivery, boolean wellFormed) {

	}

	/**
	 * The fields of an envelope a transport needs.
	 *
	 * @param wellFormed whether the text is one well-formed JSON object
	 * @param deliveryTag {@code properties.delivery_tag}, if present
	 * @param exchange {@code properties.delivery_info.exchange}, if present
	 * @param routingKey {@code properties.delivery_info.routing_key}, if present
	 */
	public record Info(boolean wellFormed, @Nullable String deliveryTag, @Nullable String exchange,
			@Nullable String routingKey) {

		static final Info MALFORMED = new Info(false, null, null, null);

		/**
		 * Describe this envelope as a delivery from a queue. A message without a delivery
		 * tag (or that cannot be parsed) gets a generated one so that it can still be
		 * recorded, rejected and acknowledged; a missing exchange is the nameless one and
		 * a missing routing key is the queue, which is where kombu would restore it.
		 * @param queue the queue it was fetched from (base name)
		 * @param envelope the envelope text
		 * @return the delivery
		 */
		public Delivery delivery(String queue, String envelope) {
			return delivery(queue, envelope, null);
		}

		Delivery delivery(String queue, String envelope, @Nullable Map<String, @Nullable Object> tree) {
			String tag = (this.deliveryTag != null && !this.deliveryTag.isEmpty()) ? this.deliveryTag
					: UUID.randomUUID().toString();
			String exchange = (this.exchange != null) ? this.exchange : "";
			String routingKey = (this.routingKey != null) ? this.routingKey : queue;
			return new Delivery(queue, tag, exchange, routingKey, envelope, tree);
		}

	}

}
