package io.celery4j.boot.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;

/**
 * Finds {@code @CeleryTask} methods on beans (on the target class behind any proxy) and
 * registers them in the {@link TaskRegistry} once every singleton exists. It only
 * collects: nothing is consumed before the worker starts.
 */
public class CeleryTaskAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

	private final List<AnnotatedTask> found = new ArrayList<>();

	private @Nullable ConfigurableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		Assert.isInstanceOf(ConfigurableBeanFactory.class, beanFactory);
		this.beanFactory = (ConfigurableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, CeleryTask> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<CeleryTask>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, CeleryTask.class));
		methods.forEach((method, annotation) -> this.found.add(new AnnotatedTask(bean, beanName, method, annotation)));
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableBeanFactory beanFactory = this.beanFactory;
		Assert.state(beanFactory != null, "BeanFactory not set");
		TaskRegistry registry = beanFactory.getBean(TaskRegistry.class);
		TaskDefinitionFactory factory = beanFactory.getBean(TaskDefinitionFactory.class);
		EmbeddedValueResolver resolver = new EmbeddedValueResolver(beanFactory);
		for (AnnotatedTask task : this.found) {
			TaskDefinition definition = factory.create(task.bean(), task.beanName(), task.method(), task.annotation(),
					resolver::resolveStringValue);
			registry.register(definition);
		}
		this.found.clear();
	}

	private record AnnotatedTask(Object bean, String beanName, Method method, CeleryTask annotation) {

	}

}
