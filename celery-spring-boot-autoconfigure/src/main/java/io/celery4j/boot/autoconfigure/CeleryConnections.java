package io.celery4j.boot.autoconfigure;

import java.time.Duration;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * Creates the broker and the result backend from {@code celery.broker-url} and
 * {@code celery.result-backend}, or from the application's {@link RedisConnectionFactory}
 * when {@code celery.use-spring-data-redis} is set. A bad URL fails with the property's
 * name and the URL masked.
 */
final class CeleryConnections {

	static final String BROKER_URL = "celery.broker-url";

	static final String RESULT_BACKEND = "celery.result-backend";

	static final String USE_SPRING_DATA_REDIS = "celery.use-spring-data-redis";

	private static final String SPRING_DATA_REDIS = "spring.data.redis";

	private static final String MEMORY = "memory://";

	private static final Logger logger = LoggerFactory.getLogger(CeleryConnections.class);

	private CeleryConnections() {
	}

	static Broker broker(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		if (properties.isUseSpringDataRedis()) {
			return Brokers.redis(applicationRedis(redis), SPRING_DATA_REDIS);
		}
		String url = properties.getBrokerUrl();
		try {
			Broker broker = Brokers.create(url);
			if (MEMORY.equals(broker.maskedUrl())) {
				logger.warn("Broker memory:// in use: tasks and results stay inside this application; set {} to "
						+ "redis://host:port/db to share them with other workers", BROKER_URL);
			}
			return broker;
		}
		catch (IllegalArgumentException ex) {
			throw invalidUrl(BROKER_URL, url, ex);
		}
	}

	static ResultBackend resultBackend(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		Duration expires = properties.getResultExpires();
		if (expires.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("celery.result-expires", expires,
					"Expiry must not be negative; use 0 to keep results until they are forgotten.");
		}
		String url = properties.getResultBackend();
		if (StringUtils.hasText(url)) {
			return resultBackend(RESULT_BACKEND, url, expires);
		}
		if (properties.isUseSpringDataRedis()) {
			return ResultBackends.redis(applicationRedis(redis), expires, SPRING_DATA_REDIS);
		}
		// Results go where the broker is unless told otherwise.
		return resultBackend(BROKER_URL, properties.getBrokerUrl(), expires);
	}

	private static ResultBackend resultBackend(String property, String url, Duration expires) {
		try {
			return ResultBackends.create(url, expires);
		}
		catch (IllegalArgumentException ex) {
			throw invalidUrl(property, url, ex);
		}
	}

	private static RedisConnectionFactory applicationRedis(ObjectProvider<RedisConnectionFactory> redis) {
		RedisConnectionFactory factory = redis.getIfAvailable();
		if (factory == null) {
			throw new InvalidConfigurationPropertyValueException(USE_SPRING_DATA_REDIS, true,
					"No RedisConnectionFactory bean exists. Add spring-boot-starter-data-redis, or set "
							+ USE_SPRING_DATA_REDIS + "=false and " + BROKER_URL + ".");
		}
		return factory;
	}

	private static InvalidConfigurationPropertyValueException invalidUrl(String property, String url,
			IllegalArgumentException ex) {
		return new InvalidConfigurationPropertyValueException(property, Brokers.mask(url), Brokers.mask(reason(ex)));
	}

	private static String reason(IllegalArgumentException ex) {
		@Nullable String message = ex.getMessage();
		return (message != null) ? message : "Expected redis://, rediss:// or memory://.";
	}

}
