package io.celery4j.events;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Fanout exchanges over Redis pub/sub with kombu's channel names ({@code fanout_prefix}
 * and {@code fanout_patterns} on, as Celery sets them).
 */
final class RedisFanout implements Fanout {

	private static final Logger logger = LoggerFactory.getLogger(RedisFanout.class);

	private static final String SEPARATOR = "\u0006\u0016";

	private final RedisConnectionFactory factory;

	private final int database;

	RedisFanout(RedisConnectionFactory factory, int database) {
		this.factory = factory;
		this.database = database;
	}

	/**
	 * Return kombu's channel for a message: {@code /<db>.<exchange>/<routing key>}, or
	 * {@code /<db>.<exchange>} for an empty routing key.
	 */
	static String channel(int database, String exchange, String routingKey) {
		String prefix = "/" + database + "." + exchange;
		return routingKey.isEmpty() ? prefix : prefix + "/" + routingKey;
	}

	@Override
	public void publish(String exchange, String routingKey, String envelope) {
		byte[] channel = bytes(channel(this.database, exchange, routingKey));
		try (RedisConnection connection = this.factory.getConnection()) {
			connection.publish(channel, bytes(envelope));
		}
	}

	@Override
	public Subscription subscribe(String exchange, String bindingKey, String queue, Consumer<String> listener) {
		byte[] bindingSet = bytes("_kombu.binding." + exchange);
		byte[] member = bytes(bindingKey + SEPARATOR + SEPARATOR + queue);
		try (RedisConnection connection = this.factory.getConnection()) {
			connection.setCommands().sAdd(bindingSet, member);
		}
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.factory);
		container.addMessageListener((message, pattern) -> {
			try {
				listener.accept(new String(message.getBody(), StandardCharsets.UTF_8));
			}
			catch (RuntimeException ex) {
				logger.warn("Message on {} could not be handled: {}",
						new String(message.getChannel(), StandardCharsets.UTF_8), ex.getMessage());
			}
		}, new PatternTopic(channel(this.database, exchange, bindingKey.replace('#', '*'))));
		container.afterPropertiesSet();
		container.start();
		return () -> {
			try {
				container.destroy();
			}
			catch (Exception ex) {
				logger.debug("Subscription to {} could not be closed cleanly: {}", exchange, ex.getMessage());
			}
			try (RedisConnection connection = this.factory.getConnection()) {
				connection.setCommands().sRem(bindingSet, member);
			}
			catch (RuntimeException ex) {
				logger.debug("Binding of {} could not be removed: {}", queue, ex.getMessage());
			}
		};
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
