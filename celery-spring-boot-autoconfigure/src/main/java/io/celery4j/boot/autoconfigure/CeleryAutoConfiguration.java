package io.celery4j.boot.autoconfigure;

import io.celery4j.backend.ResultBackend;
import io.celery4j.boot.annotation.CeleryTaskAnnotationBeanPostProcessor;
import io.celery4j.boot.annotation.TaskDefinitionFactory;
import io.celery4j.broker.Broker;
import io.celery4j.client.CeleryClient;
import io.celery4j.protocol.Json;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration for Celery: the broker, the result backend, the task registry,
 * {@code @CeleryTask} discovery and the client.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@EnableConfigurationProperties(CeleryProperties.class)
public final class CeleryAutoConfiguration {

	CeleryAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	Broker celeryBroker(CeleryProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
		return CeleryConnections.broker(properties, redis);
	}

	@Bean
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
		return new TaskRouter(properties.getTask().getRoutes(), registry, properties.getTask().getDefaultQueue());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskDefinitionFactory celeryTaskDefinitionFactory(CeleryProperties properties) {
		CeleryProperties.Task task = properties.getTask();
		return new TaskDefinitionFactory(new TaskOptions(null, task.isAcksLate(), task.isIgnoreResult()),
				Json.mapper());
	}

	@Bean
	static CeleryTaskAnnotationBeanPostProcessor celeryTaskAnnotationBeanPostProcessor() {
		return new CeleryTaskAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryClient celeryClient(Broker broker, ResultBackend backend, TaskRouter router, CeleryProperties properties) {
		return new CeleryClient(broker, backend, router, properties.getTimezone());
	}

}
