package io.celery4j.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.celery4j.broker.Delivery;
import io.celery4j.broker.Envelopes;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.SetCondition;
import org.springframework.data.redis.connection.zset.Tuple;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Kombu's acknowledgement emulation on Redis (PROTOCOL.md 2.3 and 2.4): every fetched
 * message sits in the {@code unacked} hash and the {@code unacked_index} sorted set until
 * it is acknowledged or given back. Counterpart of kombu's {@code redis.QoS}, with the
 * same commands so that Python and Java consumers recover each other's messages.
 */
final class UnackedMessages {

	private static final Logger logger = LoggerFactory.getLogger(UnackedMessages.class);

	/** Kombu's {@code unacked_mutex_expire}: 300 s. */
	private static final Expiration MUTEX_EXPIRY = Expiration.milliseconds(300_000);

	/** Give up a restore after this many lost WATCH races (kombu retries forever). */
	private static final int MAX_WATCH_ATTEMPTS = 100;

	/**
	 * Record fetched messages in one transaction: {@code MULTI; ZADD unacked_index <now>
	 * <tag>; HSET unacked <tag> <entry>; EXEC}, with all the batch's members in one
	 * {@code ZADD} and one {@code HSET}/{@code HMSET}.
	 */
	void record(RedisConnection connection, List<Delivery> deliveries, List<byte @Nullable []> objects) {
		double now = epochSeconds(Instant.now());
		Set<Tuple> scores = new LinkedHashSet<>();
		Map<byte[], byte[]> entries = new LinkedHashMap<>();
		for (int i = 0; i < deliveries.size(); i++) {
			Delivery delivery = deliveries.get(i);
			byte[] tag = KombuKeys.bytes(delivery.deliveryTag());
			scores.add(Tuple.of(tag, now));
			entries.put(tag, entry(delivery, objects.get(i)));
		}
		connection.openPipeline();
		try {
			connection.multi();
			connection.zSetCommands().zAdd(KombuKeys.UNACKED_INDEX, scores);
			if (entries.size() == 1) {
				Map.Entry<byte[], byte[]> entry = entries.entrySet().iterator().next();
				connection.hashCommands().hSet(KombuKeys.UNACKED, entry.getKey(), entry.getValue());
			}
			else {
				connection.hashCommands().hMSet(KombuKeys.UNACKED, entries);
			}
			connection.exec();
		}
		finally {
			connection.closePipeline();
		}
	}

	/**
	 * Record fetched messages with one {@link RedisScripts#RECORD} call, the same
	 * {@code ZADD} and {@code HSET} as {@link #record(RedisConnection, List, List)} in
	 * one command, without waiting: the command is queued on the connection when this
	 * returns, ahead of any acknowledgement sent on it later.
	 * @return completed with Redis's reply
	 */
	CompletableFuture<Long> recordAsync(NativeCommands commands, List<Delivery> deliveries,
			List<byte @Nullable []> objects) {
		byte[][] args = new byte[1 + 2 * deliveries.size()][];
		args[0] = KombuKeys.bytes(Double.toString(epochSeconds(Instant.now())));
		for (int i = 0; i < deliveries.size(); i++) {
			Delivery delivery = deliveries.get(i);
			args[1 + 2 * i] = KombuKeys.bytes(delivery.deliveryTag());
			args[2 + 2 * i] = entry(delivery, objects.get(i));
		}
		return RedisScripts.RECORD.runAsync(commands.async(), ScriptOutputType.INTEGER,
				new byte[][] { KombuKeys.UNACKED_INDEX, KombuKeys.UNACKED }, args);
	}

	/**
	 * The {@code unacked} value of a delivery; {@code object} is the envelope's bytes
	 * when it is a JSON object, {@code null} when it is not.
	 */
	private static byte[] entry(Delivery delivery, byte @Nullable [] object) {
		if (object != null) {
			return UnackedEntry.write(object, delivery.exchange(), delivery.routingKey());
		}
		return KombuKeys
			.bytes(UnackedEntry.write(delivery.envelope(), false, delivery.exchange(), delivery.routingKey()));
	}

	/**
	 * Acknowledge: {@code MULTI; ZREM unacked_index <tag>; HDEL unacked <tag>; EXEC}.
	 */
	void ack(RedisConnection connection, String deliveryTag) {
		byte[] tag = KombuKeys.bytes(deliveryTag);
		connection.openPipeline();
		try {
			connection.multi();
			connection.zSetCommands().zRem(KombuKeys.UNACKED_INDEX, tag);
			connection.hashCommands().hDel(KombuKeys.UNACKED, tag);
			connection.exec();
		}
		finally {
			connection.closePipeline();
		}
	}

	/**
	 * Give one message back as kombu's {@code restore_by_tag} does: {@code WATCH unacked;
	 * HGET unacked <tag>; MULTI; ZREM; HDEL; RPUSH (or LPUSH) <queue> <message marked
	 * redelivered>; EXEC}, retried when another client changed {@code unacked} meanwhile.
	 * @param leftmost whether to push to the far end ({@code LPUSH}, a requeue) rather
	 * than the consuming end ({@code RPUSH}, a restore)
	 * @param fallbackQueue where to push when the stored exchange has no matching binding
	 * (kombu's dead-letter queue when {@code null})
	 * @return whether a message was pushed back
	 */
	boolean restore(RedisConnection connection, byte[] tag, boolean leftmost, @Nullable String fallbackQueue) {
		for (int attempt = 0; attempt < MAX_WATCH_ATTEMPTS; attempt++) {
			connection.watch(KombuKeys.UNACKED);
			byte[] stored = connection.hashCommands().hGet(KombuKeys.UNACKED, tag);
			UnackedEntry entry = null;
			List<String> queues = List.of();
			if (stored != null) {
				entry = UnackedEntry.read(KombuKeys.string(stored));
				if (entry == null) {
					connection.unwatch();
					logger.warn("Unacknowledged message {} is not stored as [message, exchange, routing_key]; "
							+ "left in 'unacked'", KombuKeys.string(tag));
					return false;
				}
				queues = queues(connection, entry, fallbackQueue);
			}
			connection.multi();
			connection.zSetCommands().zRem(KombuKeys.UNACKED_INDEX, tag);
			connection.hashCommands().hDel(KombuKeys.UNACKED, tag);
			if (entry != null) {
				byte[] message = KombuKeys
					.bytes(entry.object() ? Envelopes.markRedelivered(entry.message()) : entry.message());
				for (String queue : queues) {
					byte[] key = KombuKeys.bytes(queue);
					if (leftmost) {
						connection.listCommands().lPush(key, message);
					}
					else {
						connection.listCommands().rPush(key, message);
					}
				}
			}
			if (connection.exec() != null) {
				return entry != null;
			}
		}
		logger.warn("Unacknowledged message {} could not be restored: 'unacked' kept changing during {} attempts; "
				+ "it stays there until the next restore", KombuKeys.string(tag), MAX_WATCH_ATTEMPTS);
		return false;
	}

	/**
	 * Kombu's {@code _lookup}: the nameless exchange routes to the queue named by the
	 * routing key; a named exchange routes through its binding set (direct matching).
	 */
	private static List<String> queues(RedisConnection connection, UnackedEntry entry, @Nullable String fallbackQueue) {
		String fallback = (fallbackQueue != null) ? fallbackQueue : KombuKeys.DEADLETTER_QUEUE;
		String routingKey = (entry.routingKey() != null) ? entry.routingKey() : "";
		if (entry.exchange().isEmpty()) {
			return List.of(routingKey.isEmpty() ? fallback : routingKey);
		}
		List<String> queues = new ArrayList<>();
		Set<byte[]> members = connection.setCommands().sMembers(KombuKeys.binding(entry.exchange()));
		for (byte[] member : (members != null) ? members : Set.<byte[]>of()) {
			String[] binding = KombuKeys.string(member).split(KombuKeys.SEPARATOR, -1);
			if (binding.length == 3 && binding[0].equals(routingKey) && !queues.contains(binding[2])) {
				queues.add(binding[2]);
			}
		}
		if (queues.isEmpty()) {
			logger.warn("No queue is bound to exchange '{}' with routing key '{}'; restoring to '{}'", entry.exchange(),
					routingKey, fallback);
			queues.add(fallback);
		}
		return queues;
	}

	/**
	 * Kombu's {@code restore_visible}: under {@code unacked_mutex}, give back every
	 * message fetched longer ago than the visibility timeout, newest first.
	 * @return how many messages were given back, 0 when another consumer holds the mutex
	 */
	int restoreVisible(RedisConnection connection, Duration visibilityTimeout) {
		byte[] token = KombuKeys.bytes(UUID.randomUUID().toString().replace("-", ""));
		Boolean acquired = connection.stringCommands()
			.set(KombuKeys.UNACKED_MUTEX, token, SetCondition.ifAbsent(), MUTEX_EXPIRY);
		if (!Boolean.TRUE.equals(acquired)) {
			return 0;
		}
		try {
			double ceiling = epochSeconds(Instant.now()) - seconds(visibilityTimeout);
			Set<Tuple> visible = connection.zSetCommands()
				.zRevRangeByScoreWithScores(KombuKeys.UNACKED_INDEX, 0, ceiling);
			int restored = 0;
			for (Tuple tuple : (visible != null) ? visible : Set.<Tuple>of()) {
				if (restore(connection, tuple.getValue(), false, null)) {
					restored++;
				}
			}
			return restored;
		}
		finally {
			RedisScripts.RELEASE_LOCK.run(connection, ReturnType.INTEGER, 1, KombuKeys.UNACKED_MUTEX, token);
		}
	}

	private static double seconds(Duration duration) {
		return duration.getSeconds() + duration.getNano() / 1e9;
	}

	/**
	 * Return a time as Python's {@code time.time()} does: epoch seconds as a float.
	 */
	static double epochSeconds(Instant instant) {
		return instant.getEpochSecond() + instant.getNano() / 1e9;
	}

}
