package io.celery4j.boot.autoconfigure.beat;

import io.celery4j.beat.BeatStore;
import io.celery4j.beat.memory.MemoryBeatStore;
import io.celery4j.beat.redis.RedisBeatStore;
import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.broker.BrokerUrl;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * Chooses beat's store after the broker: Redis when the broker is Redis (its own
 * connections to {@code celery.broker-url}, or the application's connection factory with
 * {@code celery.use-spring-data-redis}), memory with {@code memory://}.
 */
final class BeatStores {

	private BeatStores() {
	}

	static BeatStore create(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		String keyPrefix = properties.getBeat().getKeyPrefix();
		if (!StringUtils.hasText(keyPrefix)) {
			throw new InvalidConfigurationPropertyValueException("celery.beat.key-prefix", keyPrefix,
					"Set a prefix for beat's Redis keys, for example 'celery-beat'.");
		}
		if (properties.isUseSpringDataRedis()) {
			RedisConnectionFactory factory = redis.getIfAvailable();
			if (factory == null) {
				throw new InvalidConfigurationPropertyValueException("celery.use-spring-data-redis", true,
						"No RedisConnectionFactory bean exists. Add spring-boot-starter-data-redis, or set "
								+ "celery.use-spring-data-redis=false and celery.broker-url.");
			}
			return new RedisBeatStore(factory, keyPrefix, "spring.data.redis");
		}
		String url = properties.getBrokerUrl();
		BrokerUrl parsed;
		try {
			parsed = BrokerUrl.parse(url);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("celery.broker-url", BrokerUrl.mask(url),
					BrokerUrl.mask(ex.getMessage()));
		}
		return parsed.isMemory() ? new MemoryBeatStore() : RedisBeatStore.create(url, keyPrefix);
	}

}
