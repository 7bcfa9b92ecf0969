package io.celery4j.broker.redis;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Reusable Spring Data Redis connections for the broker. A {@link RedisConnection} opened
 * from a Lettuce factory sends plain commands over the factory's shared native connection
 * but needs a dedicated native connection for blocking commands, pipelines and
 * {@code MULTI}/{@code EXEC}; keeping a few of them open keeps those dedicated
 * connections too, instead of connecting for every acknowledgement. One caller uses a
 * session at a time; a session that saw an error is closed, not reused.
 */
final class RedisSessions implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisSessions.class);

	private static final int MAX_IDLE = 16;

	private final RedisConnectionFactory factory;

	private final ConcurrentLinkedDeque<RedisConnection> idle = new ConcurrentLinkedDeque<>();

	private final AtomicInteger idleCount = new AtomicInteger();

	private volatile boolean closed;

	RedisSessions(RedisConnectionFactory factory) {
		this.factory = factory;
	}

	/**
	 * Run an action on a session and give the session back.
	 */
	<T> T execute(Function<RedisConnection, T> action) {
		RedisConnection connection = borrow();
		boolean healthy = false;
		try {
			T result = action.apply(connection);
			healthy = true;
			return result;
		}
		finally {
			release(connection, healthy);
		}
	}

	RedisConnection borrow() {
		RedisConnection connection = this.idle.pollFirst();
		if (connection != null) {
			this.idleCount.decrementAndGet();
			return connection;
		}
		return this.factory.getConnection();
	}

	/**
	 * Give a session back; it is closed when it saw an error, when enough are idle or
	 * when the broker is closed.
	 */
	void release(RedisConnection connection, boolean healthy) {
		if (healthy && !this.closed && !connection.isClosed()) {
			if (this.idleCount.incrementAndGet() <= MAX_IDLE) {
				this.idle.offerFirst(connection);
				if (this.closed) {
					closeIdle();
				}
				return;
			}
			this.idleCount.decrementAndGet();
		}
		closeQuietly(connection);
	}

	@Override
	public void close() {
		this.closed = true;
		closeIdle();
	}

	private void closeIdle() {
		RedisConnection connection;
		while ((connection = this.idle.pollFirst()) != null) {
			this.idleCount.decrementAndGet();
			closeQuietly(connection);
		}
	}

	private static void closeQuietly(RedisConnection connection) {
		try {
			connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Redis connection could not be closed cleanly: {}", ex.getMessage());
		}
	}

}
