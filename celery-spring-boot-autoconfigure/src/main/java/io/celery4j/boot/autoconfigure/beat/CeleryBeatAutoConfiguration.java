package io.celery4j.boot.autoconfigure.beat;

import java.time.Duration;

import io.celery4j.beat.BeatListener;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.beat.BeatStore;
import io.celery4j.boot.annotation.PeriodicAnnotationBeanPostProcessor;
import io.celery4j.boot.annotation.PeriodicEntryFactory;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.client.CeleryClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of beat, Celery's periodic task scheduler, inside the application:
 * entries from {@code celery.beat.schedule} and {@code @Periodic} methods, sent by one
 * leader among the instances sharing the broker's Redis. Beat starts only when a schedule
 * exists; {@code celery.beat.enabled=false} turns it off.
 */
@AutoConfiguration(after = CeleryAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "celery.beat.enabled", matchIfMissing = true)
public final class CeleryBeatAutoConfiguration {

	private static final Duration MIN_LOCK_TIMEOUT = Duration.ofSeconds(1);

	CeleryBeatAutoConfiguration() {
	}

	@Bean(destroyMethod = "close")
	@Lazy
	@ConditionalOnMissingBean
	BeatStore celeryBeatStore(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		// Lazy: no connection is opened for an application without a schedule.
		return BeatStores.create(properties, redis);
	}

	@Bean
	@ConditionalOnMissingBean
	BeatScheduler celeryBeatScheduler(CeleryClient client, @Lazy BeatStore store, CeleryProperties properties,
			ObjectProvider<BeatListener> listeners, ObjectProvider<BeatSchedulerCustomizer> customizers) {
		Duration lockTimeout = properties.getBeat().getLockTimeout();
		if (lockTimeout.compareTo(MIN_LOCK_TIMEOUT) < 0) {
			throw new InvalidConfigurationPropertyValueException("celery.beat.lock-timeout", lockTimeout,
					"The lock timeout must be at least 1s; the leader renews its lock every third of it.");
		}
		BeatScheduler scheduler = new BeatScheduler(client, store, lockTimeout);
		BeatScheduleEntries.create(properties).forEach(scheduler::register);
		listeners.orderedStream().forEach(scheduler::addListener);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(scheduler));
		return scheduler;
	}

	@Bean
	@ConditionalOnMissingBean
	PeriodicEntryFactory celeryPeriodicEntryFactory(CeleryProperties properties) {
		return new PeriodicEntryFactory(properties.getTimezone());
	}

	@Bean
	static PeriodicAnnotationBeanPostProcessor celeryPeriodicAnnotationBeanPostProcessor(
			ObjectProvider<BeatScheduler> scheduler, ObjectProvider<PeriodicEntryFactory> entries) {
		return new PeriodicAnnotationBeanPostProcessor(scheduler, entries);
	}

}
