package io.celery4j.broker;

import io.celery4j.broker.memory.MemoryBroker;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

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
		throw new UnsupportedOperationException("The Redis broker for " + parsed.masked() + " is not built yet");
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
		Assert.notNull(factory, "'factory' must not be null");
		Assert.hasText(description, "'description' must not be empty");
		throw new UnsupportedOperationException("The Redis broker for " + description + " is not built yet");
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
