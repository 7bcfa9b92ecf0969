package io.celery4j.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Reply queues as kombu's Redis transport keeps them: lists per priority step, the
 * binding in {@code _kombu.binding.reply.celery.pidbox}, replies found through that set
 * and pushed with {@code LPUSH}.
 */
final class RedisReplyQueues implements ReplyQueues {

	private static final String SEPARATOR = "\u0006\u0016";

	private static final byte[] BINDINGS = bytes("_kombu.binding." + ControlRequest.REPLY_EXCHANGE);

	private static final int[] STEPS = { 0, 3, 6, 9 };

	private final RedisConnectionFactory factory;

	RedisReplyQueues(RedisConnectionFactory factory) {
		this.factory = factory;
	}

	@Override
	public void bind(String oid) {
		try (RedisConnection connection = this.factory.getConnection()) {
			connection.setCommands().sAdd(BINDINGS, member(oid));
		}
	}

	@Override
	public void unbind(String oid) {
		try (RedisConnection connection = this.factory.getConnection()) {
			connection.setCommands().sRem(BINDINGS, member(oid));
			connection.keyCommands().del(keys(oid));
		}
	}

	@Override
	public void push(String routingKey, String envelope) {
		try (RedisConnection connection = this.factory.getConnection()) {
			Set<byte[]> members = connection.setCommands().sMembers(BINDINGS);
			if (members == null) {
				return;
			}
			for (byte[] member : members) {
				String[] parts = new String(member, StandardCharsets.UTF_8).split(SEPARATOR, -1);
				if (parts.length == 3 && parts[0].equals(routingKey)) {
					connection.listCommands().lPush(bytes(parts[2]), bytes(envelope));
				}
			}
		}
	}

	@Override
	public @Nullable String pop(String oid, Duration timeout) {
		int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
		try (RedisConnection connection = this.factory.getConnection()) {
			List<byte[]> popped = connection.listCommands().bRPop(seconds, keys(oid));
			return (popped != null && popped.size() == 2) ? new String(popped.get(1), StandardCharsets.UTF_8) : null;
		}
	}

	private static byte[] member(String oid) {
		return bytes(oid + SEPARATOR + SEPARATOR + ReplyQueues.queueName(oid));
	}

	private static byte[][] keys(String oid) {
		String queue = ReplyQueues.queueName(oid);
		byte[][] keys = new byte[STEPS.length][];
		for (int i = 0; i < STEPS.length; i++) {
			keys[i] = bytes((STEPS[i] == 0) ? queue : queue + SEPARATOR + STEPS[i]);
		}
		return keys;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
