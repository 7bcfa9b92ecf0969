package io.celery4j.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.celery4j.backend.ResultBackend;
import io.celery4j.boot.annotation.CeleryTaskAnnotationBeanPostProcessor;
import io.celery4j.boot.annotation.TaskDefinitionFactory;
import io.celery4j.broker.Broker;
import io.celery4j.client.CanvasClient;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.EagerRunner;
import io.celery4j.control.CeleryControl;
import io.celery4j.protocol.Json;
import io.celery4j.task.RateLimit;
import io.celery4j.task.TaskHooks;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for Celery: broker, result backend, task registry,
 * {@code @CeleryTask} discovery, the client and the canvas client.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@EnableConfigurationProperties(CeleryProperties.class)
public final class CeleryAutoConfiguration {

	CeleryAutoConfiguration() {
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Broker celeryBroker(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		return CeleryConnections.broker(properties, redis);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ResultBackend celeryResultBackend(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		return CeleryConnections.resultBackend(properties, redis);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRegistry celeryTaskRegistry() {
		return new TaskRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRouter celeryTaskRouter(CeleryProperties properties, TaskRegistry registry) {
		CeleryProperties.Task task = properties.getTask();
		if (!StringUtils.hasText(task.getDefaultQueue())) {
			throw new InvalidConfigurationPropertyValueException("celery.task.default-queue", task.getDefaultQueue(),
					"Name the queue that tasks without a route go to, for example 'celery'.");
		}
		for (Map.Entry<String, String> route : task.getRoutes().entrySet()) {
			if (!StringUtils.hasText(route.getValue())) {
				throw new InvalidConfigurationPropertyValueException("celery.task.routes." + route.getKey(),
						route.getValue(), "Name the queue that tasks matching '" + route.getKey() + "' go to.");
			}
		}
		return new TaskRouter(task.getRoutes(), registry, task.getDefaultQueue());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskDefinitionFactory celeryTaskDefinitionFactory(CeleryProperties properties, ObjectProvider<TaskHooks> hooks,
			ListableBeanFactory beanFactory) {
		CeleryProperties.Task task = properties.getTask();
		TaskOptions defaults = new TaskOptions(null, task.isAcksLate(), task.isIgnoreResult())
			.withRateLimit(defaultRateLimit(task.getDefaultRateLimit()))
			.withTimeLimits(positive("celery.task.time-limit", task.getTimeLimit()),
					positive("celery.task.soft-time-limit", task.getSoftTimeLimit()))
			.withRetry(TaskRetryDefaults.retryPolicy(task))
			.withResults(task.isTrackStarted(), task.isStoreErrorsEvenIfIgnored())
			.withRejectOnWorkerLost(task.isRejectOnWorkerLost());
		TaskDefinitionFactory factory = new TaskDefinitionFactory(defaults, Json.mapper());
		factory.setHooks(() -> hooks.orderedStream().toList(), (type) -> baseHooks(beanFactory, type));
		return factory;
	}

	private static Object baseHooks(ListableBeanFactory beanFactory, Class<?> type) {
		Object bean = beanFactory.getBeanProvider(type).getIfAvailable();
		return (bean != null) ? bean : BeanUtils.instantiateClass(type);
	}

	private static @Nullable RateLimit defaultRateLimit(@Nullable String value) {
		try {
			return RateLimit.parse(value, RateLimit.Scope.WORKER);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("celery.task.default-rate-limit", value,
					ex.getMessage());
		}
	}

	private static @Nullable Duration positive(String property, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"Use a positive duration such as 30 (seconds), or leave it unset for no limit.");
		}
		return value;
	}

	@Bean
	static CeleryTaskAnnotationBeanPostProcessor celeryTaskAnnotationBeanPostProcessor(
			ObjectProvider<TaskRegistry> registry, ObjectProvider<TaskDefinitionFactory> definitions) {
		return new CeleryTaskAnnotationBeanPostProcessor(registry, definitions);
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryClient celeryClient(Broker broker, ResultBackend backend, TaskRouter router, CeleryProperties properties) {
		CeleryClient client = new CeleryClient(broker, backend, router, properties.getTimezone());
		CeleryProperties.Task task = properties.getTask();
		if (task.isSendSentEvent()) {
			client.setSendSentEvent(true);
		}
		if (task.isAlwaysEager()) {
			client.setEager(new EagerRunner(router.getRegistry(), backend, task.isEagerPropagates(),
					task.isStoreEagerResult()));
		}
		return client;
	}

	@Bean
	@ConditionalOnMissingBean
	CanvasClient celeryCanvasClient(CeleryClient client) {
		return new CanvasClient(client);
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryControl celeryControl(Broker broker) {
		return new CeleryControl(broker);
	}

}
