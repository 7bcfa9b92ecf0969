package io.celery4j.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.celery4j.events.FanoutMessage;
import org.jspecify.annotations.Nullable;

/**
 * One remote control request as kombu's {@code Mailbox._broadcast} writes it (PROTOCOL.md
 * 7.2).
 *
 * @param method the command, for example {@code ping}
 * @param arguments the command's arguments
 * @param destination node names that should handle it, {@code null} for all
 * @param pattern a node name pattern, used when {@code destination} is empty
 * @param matcher {@code glob} or {@code pcre}, how {@code pattern} matches
 * @param ticket the id replies carry, {@code null} when no reply is wanted
 * @param replyTo the routing key of the sender's reply queue, {@code null} when no reply
 * is wanted
 * @param clock the sender's Lamport clock
 */
public record ControlRequest(String method, Map<String, @Nullable Object> arguments, @Nullable List<String> destination,
		@Nullable String pattern, @Nullable String matcher, @Nullable String ticket, @Nullable String replyTo,
		long clock) {

	/** The fanout exchange requests are broadcast on. */
	public static final String EXCHANGE = "celery.pidbox";

	/** The direct exchange replies are sent to. */
	public static final String REPLY_EXCHANGE = "reply.celery.pidbox";

	/**
	 * Return whether a node should handle this request: listed in {@code destination}, or
	 * matching {@code pattern}, or everyone when neither is set.
	 * @param nodeName the node name
	 * @return whether it is addressed to the node
	 */
	public boolean isFor(String nodeName) {
		if (this.destination != null && !this.destination.isEmpty()) {
			return this.destination.contains(nodeName);
		}
		if (this.pattern != null && this.matcher != null) {
			if ("pcre".equals(this.matcher)) {
				return Pattern.compile(this.pattern).matcher(nodeName).find();
			}
			return Pattern.compile(globToRegex(this.pattern)).matcher(nodeName).matches();
		}
		return true;
	}

	/**
	 * Return whether the sender waits for a reply.
	 * @return whether both ticket and reply queue are set
	 */
	public boolean wantsReply() {
		return this.ticket != null && this.replyTo != null;
	}

	/**
	 * Write the request envelope as kombu does.
	 * @param expires when the request expires, epoch seconds (0 for never)
	 * @return the envelope JSON text
	 */
	public String encode(double expires) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("method", this.method);
		body.put("arguments", this.arguments);
		body.put("destination", this.destination);
		body.put("pattern", this.pattern);
		body.put("matcher", this.matcher);
		if (wantsReply()) {
			body.put("ticket", this.ticket);
			Map<String, @Nullable Object> replyTo = new LinkedHashMap<>();
			replyTo.put("exchange", REPLY_EXCHANGE);
			replyTo.put("routing_key", this.replyTo);
			body.put("reply_to", replyTo);
		}
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("clock", this.clock);
		headers.put("expires", expires);
		return new FanoutMessage(headers, 2, EXCHANGE, "", body).encode();
	}

	/**
	 * Read a request envelope.
	 * @param envelope the envelope JSON text
	 * @return the request
	 * @throws IllegalArgumentException if it is not a remote control request; the message
	 * says what is missing
	 */
	@SuppressWarnings("unchecked")
	public static ControlRequest decode(String envelope) {
		FanoutMessage message = FanoutMessage.decode(envelope);
		if (!(message.body() instanceof Map<?, ?> body) || !(body.get("method") instanceof String method)) {
			throw new IllegalArgumentException("Remote control request has no 'method': " + message.body());
		}
		Map<String, @Nullable Object> arguments = (body.get("arguments") instanceof Map<?, ?> map)
				? (Map<String, @Nullable Object>) map : Map.of();
		List<String> destination = null;
		if (body.get("destination") instanceof List<?> list) {
			destination = new ArrayList<>();
			for (Object node : list) {
				destination.add(String.valueOf(node));
			}
		}
		else if (body.get("destination") instanceof String node) {
			destination = List.of(node);
		}
		String replyTo = (body.get("reply_to") instanceof Map<?, ?> reply && reply.get("routing_key") != null)
				? String.valueOf(reply.get("routing_key")) : null;
		Object clock = message.headers().get("clock");
		return new ControlRequest(method, arguments, destination, string(body.get("pattern")),
				string(body.get("matcher")), string(body.get("ticket")), replyTo,
				(clock instanceof Number number) ? number.longValue() : 0);
	}

	private static @Nullable String string(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static String globToRegex(String glob) {
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return regex.toString();
	}

}
