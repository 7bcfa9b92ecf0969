package io.celery4j.broker;

import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.broker.redis.RedisBroker;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Creates brokers from Celery-style URLs: {@code memory://} for the in-process broker,
 * {@code redis://} and {@code rediss://} for Redis with kombu's key layout.
 *
 * <pre class="code">
 * try (Broker broker = Brokers.create("redis://localhost:6379/0")) {
 * 	broker.publish("celery", 0, envelope);
 * }
 * </pre>
 */
public final class Brokers {

	private Brokers() {
	}

	/**
	 * Create a broker for a URL. A Redis broker created here owns its connection factory
	 * and destroys it on {@link Broker#close()}.
	 * @param url {@code memory://}, {@code redis://[[user]:password@]host[:port][/db]} or
	 * {@code rediss://...}
	 * @return a new broker
	 * @throws IllegalArgumentException if the URL is malformed or its scheme is not
	 * supported; the message shows the URL masked and what is accepted
	 */
	public static Broker create(String url) {
		BrokerUrl parsed = BrokerUrl.parse(url);
		if (parsed.isMemory()) {
			return new MemoryBroker();
		}
		return RedisBroker.create(parsed);
	}

	/**
	 * Create a Redis broker on an application's connection factory. The broker does not
	 * own the factory: {@link Broker#close()} releases the broker's connections but
	 * leaves the factory running.
	 * @param factory the connection factory
	 * @param description what {@link Broker#maskedUrl()} returns, for logs and health
	 * details (must not contain a password)
	 * @return a new broker
	 */
	public static Broker redis(RedisConnectionFactory factory, String description) {
		return new RedisBroker(factory, description);
	}

	/**
	 * Mask the password in a URL, for logs and messages.
	 * @param url the URL text
	 * @return the text with any password replaced by {@code ****}
	 * @see BrokerUrl#mask(String)
	 */
	public static String mask(String url) {
		return BrokerUrl.mask(url);
	}

}
