package io.celery4j.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import io.celery4j.testsupport.RedisTestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Direct reads of the kombu keys of one broker database (PROTOCOL.md 2.1), to check what
 * the worker left there; cleans only the keys a test owns.
 */
final class RedisKeys implements AutoCloseable {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	RedisKeys(int db) {
		this.client = RedisClient.create(RedisURI.create(RedisTestServer.get().url(db)));
		this.connection = this.client.connect();
	}

	private RedisCommands<String, String> redis() {
		return this.connection.sync();
	}

	long unacked() {
		return redis().hlen("unacked");
	}

	long unackedIndex() {
		return redis().zcard("unacked_index");
	}

	/**
	 * Return the task ids waiting in a queue's base list, in fetch order.
	 */
	List<String> queuedIds(String queue) {
		List<String> envelopes = redis().lrange(queue, 0, -1);
		List<String> ids = new ArrayList<>();
		for (int i = envelopes.size() - 1; i >= 0; i--) {
			Map<?, ?> envelope = (Map<?, ?>) Json.read(envelopes.get(i));
			ids.add((String) ((Map<?, ?>) envelope.get("headers")).get("id"));
		}
		return ids;
	}

	/**
	 * Remove the shared unacknowledged records of this database, for a test that counts
	 * them.
	 */
	void clearUnacked() {
		redis().del("unacked", "unacked_index", "unacked_mutex");
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
