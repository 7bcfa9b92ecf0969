package io.celery4j.broker.redis;

import java.nio.charset.StandardCharsets;

import io.celery4j.broker.Priorities;

/**
 * The key names kombu's Redis transport uses (PROTOCOL.md 2.1), as raw bytes. Kombu's
 * {@code global_keyprefix} transport option is not supported: keys are unprefixed, as
 * with kombu's default.
 */
final class KombuKeys {

	/** The separator inside key names and binding members (bytes 0x06 0x16). */
	static final String SEPARATOR = "\u0006\u0016";

	static final byte[] UNACKED = bytes("unacked");

	static final byte[] UNACKED_INDEX = bytes("unacked_index");

	static final byte[] UNACKED_MUTEX = bytes("unacked_mutex");

	/** Where kombu restores a message whose exchange has no matching binding. */
	static final String DEADLETTER_QUEUE = "ae.undeliver";

	private KombuKeys() {
	}

	/**
	 * Return the list holding one priority step of a queue: {@code celery} for step 0,
	 * {@code celery\x06\x163} for step 3 and so on.
	 */
	static byte[] queue(String queue, int stepIndex) {
		int step = Priorities.step(stepIndex);
		return bytes((step == 0) ? queue : queue + SEPARATOR + step);
	}

	/**
	 * Return the binding set of an exchange, {@code _kombu.binding.<exchange>}.
	 */
	static byte[] binding(String exchange) {
		return bytes("_kombu.binding." + exchange);
	}

	/**
	 * Return a binding member, {@code <routing key>\x06\x16<pattern>\x06\x16<queue>}.
	 */
	static byte[] bindingMember(String routingKey, String pattern, String queue) {
		return bytes(routingKey + SEPARATOR + pattern + SEPARATOR + queue);
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String string(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
