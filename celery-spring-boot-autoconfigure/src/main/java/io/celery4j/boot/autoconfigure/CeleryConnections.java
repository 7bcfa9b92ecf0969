package io.celery4j.boot.autoconfigure;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * Creates the broker and the result backend from {@code celery.broker-url} and
 * {@code celery.result-backend}, or from the application's {@link RedisConnectionFactory}
 * when {@code celery.use-spring-data-redis} is set.
 */
final class CeleryConnections {

	private static final String BROKER_URL = "celery.broker-url";

	private static final String RESULT_BACKEND = "celery.result-backend";

	private CeleryConnections() {
	}

	static Broker broker(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		RedisConnectionFactory applicationRedis = applicationRedis(properties, redis);
		if (applicationRedis != null) {
			return Brokers.redis(applicationRedis, "spring.data.redis");
		}
		try {
			return Brokers.create(properties.getBrokerUrl());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(BROKER_URL, Brokers.mask(properties.getBrokerUrl()),
					ex.getMessage());
		}
	}

	static ResultBackend resultBackend(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		String url = properties.getResultBackend();
		RedisConnectionFactory applicationRedis = applicationRedis(properties, redis);
		if (!StringUtils.hasText(url) && applicationRedis != null) {
			return ResultBackends.redis(applicationRedis, properties.getResultExpires(), "spring.data.redis");
		}
		String effective = StringUtils.hasText(url) ? url : properties.getBrokerUrl();
		try {
			return ResultBackends.create(effective, properties.getResultExpires());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(StringUtils.hasText(url) ? RESULT_BACKEND : BROKER_URL,
					Brokers.mask(effective), ex.getMessage());
		}
	}

	private static @Nullable RedisConnectionFactory applicationRedis(CeleryProperties properties,
			ObjectProvider<RedisConnectionFactory> redis) {
		if (!properties.isUseSpringDataRedis() || !"memory://".equals(properties.getBrokerUrl())) {
			return null;
		}
		RedisConnectionFactory factory = redis.getIfAvailable();
		if (factory == null) {
			throw new InvalidConfigurationPropertyValueException("celery.use-spring-data-redis", true,
					"No RedisConnectionFactory bean exists. Add spring-boot-starter-data-redis or set " + BROKER_URL
							+ ".");
		}
		return factory;
	}

}
