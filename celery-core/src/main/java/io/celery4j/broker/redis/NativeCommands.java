package io.celery4j.broker.redis;

import java.time.Duration;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One native Lettuce connection of the broker for commands whose replies nobody waits for
 * on the calling thread (acknowledgements) or that go out as one script (recording a
 * fetched batch): Lettuce's asynchronous API sends them without the per-call connection
 * lookup and conversion of Spring Data's {@code RedisConnection}, and many threads share
 * it. Connected on first use on the factory's own client (its URL, database and options);
 * Lettuce reconnects it.
 */
final class NativeCommands implements AutoCloseable {

	private final @Nullable RedisClient client;

	private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;

	private volatile boolean closed;

	NativeCommands(RedisConnectionFactory factory) {
		AbstractRedisClient client = (factory instanceof LettuceConnectionFactory lettuce) ? lettuce.getNativeClient()
				: null;
		this.client = (client instanceof RedisClient redisClient) ? redisClient : null;
	}

	/**
	 * Return whether the factory is a started standalone Lettuce one; without it the
	 * broker uses Spring Data's connections for everything.
	 */
	boolean isAvailable() {
		return this.client != null;
	}

	/**
	 * Return the asynchronous commands, connecting on first use.
	 */
	RedisAsyncCommands<byte[], byte[]> async() {
		StatefulRedisConnection<byte[], byte[]> current = this.connection;
		if (current != null) {
			return current.async();
		}
		synchronized (this) {
			if (this.closed) {
				throw new IllegalStateException("The broker's connection is closed");
			}
			RedisClient client = this.client;
			if (client == null) {
				throw new IllegalStateException("No standalone Lettuce client");
			}
			if (this.connection == null) {
				this.connection = client.connect(ByteArrayCodec.INSTANCE);
			}
			return this.connection.async();
		}
	}

	/**
	 * Return how long a caller waits for a reply: the connection's command timeout.
	 */
	Duration timeout() {
		StatefulRedisConnection<byte[], byte[]> current = this.connection;
		return (current != null) ? current.getTimeout() : Duration.ofSeconds(60);
	}

	@Override
	public void close() {
		StatefulRedisConnection<byte[], byte[]> current;
		synchronized (this) {
			this.closed = true;
			current = this.connection;
		}
		if (current != null) {
			current.close();
		}
	}

}
