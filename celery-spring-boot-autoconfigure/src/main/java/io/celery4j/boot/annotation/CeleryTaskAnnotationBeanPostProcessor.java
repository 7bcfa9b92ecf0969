package io.celery4j.boot.annotation;

import java.util.List;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.boot.annotation.AnnotatedMethodCollector.AnnotatedMethod;
import io.celery4j.task.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.SingletonBeanRegistry;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.util.Assert;
import org.springframework.util.StringValueResolver;

/**
 * Finds {@code @CeleryTask} methods on beans, on the target class behind any proxy, and
 * registers them in the {@link TaskRegistry} once every singleton exists. It only
 * collects: nothing is consumed before the worker starts. Counterpart of the task
 * discovery Celery does with {@code app.autodiscover_tasks()}.
 */
public class CeleryTaskAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, EmbeddedValueResolverAware, BeanFactoryAware {

	private static final Logger logger = LoggerFactory.getLogger(CeleryTaskAnnotationBeanPostProcessor.class);

	private final ObjectProvider<TaskRegistry> registry;

	private final ObjectProvider<TaskDefinitionFactory> definitions;

	private final AnnotatedMethodCollector<CeleryTask> collector = new AnnotatedMethodCollector<>(CeleryTask.class);

	private @Nullable StringValueResolver resolver;

	private @Nullable SingletonBeanRegistry singletons;

	private volatile boolean singletonsInstantiated;

	/**
	 * Create a post-processor that registers into the given registry.
	 * @param registry the registry, looked up once every singleton exists
	 * @param definitions turns annotated methods into task definitions
	 */
	public CeleryTaskAnnotationBeanPostProcessor(ObjectProvider<TaskRegistry> registry,
			ObjectProvider<TaskDefinitionFactory> definitions) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(definitions, "'definitions' must not be null");
		this.registry = registry;
		this.definitions = definitions;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.singletons = (beanFactory instanceof SingletonBeanRegistry registry) ? registry : null;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		List<AnnotatedMethod<CeleryTask>> tasks = this.collector.find(bean, beanName);
		if (tasks.isEmpty()) {
			return bean;
		}
		if (this.singletonsInstantiated) {
			// A lazy bean created after start-up: its tasks register as it appears.
			tasks.forEach(this::register);
		}
		else {
			this.collector.collect(tasks);
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<AnnotatedMethod<CeleryTask>> tasks = this.collector.drain();
		tasks.stream().map(this::exposedBean).forEach(this::register);
		this.singletonsInstantiated = true;
		logger.debug("Registered {} @CeleryTask method(s)", tasks.size());
	}

	/**
	 * Return the task with the bean as the context exposes it: a post-processor that ran
	 * after this one may have wrapped it in a proxy whose advice must apply to calls.
	 */
	private AnnotatedMethod<CeleryTask> exposedBean(AnnotatedMethod<CeleryTask> task) {
		SingletonBeanRegistry singletons = this.singletons;
		Object exposed = (singletons != null) ? singletons.getSingleton(task.beanName()) : null;
		if (exposed == null || exposed == task.bean()
				|| AopUtils.getTargetClass(exposed) != AopUtils.getTargetClass(task.bean())) {
			return task;
		}
		return task.withBean(exposed);
	}

	private void register(AnnotatedMethod<CeleryTask> task) {
		TaskDefinitionFactory factory = this.definitions.getObject();
		this.registry.getObject()
			.register(factory.create(task.bean(), task.beanName(), task.method(), task.annotation(), this::resolve));
	}

	private @Nullable String resolve(String value) {
		StringValueResolver resolver = this.resolver;
		return (resolver != null) ? resolver.resolveStringValue(value) : value;
	}

}
