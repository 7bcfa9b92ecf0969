package io.celery4j.boot.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds the methods with one annotation on beans, on the target class behind any proxy,
 * and holds them until every singleton exists: the shared half of the {@code @CeleryTask}
 * and {@code @Periodic} post-processors. Classes without such methods are remembered so
 * that each is inspected once. Thread-safe.
 *
 * @param <A> the annotation type
 */
final class AnnotatedMethodCollector<A extends Annotation> {

	private final Class<A> annotationType;

	private final Set<Class<?>> classesWithout = ConcurrentHashMap.newKeySet();

	private final List<AnnotatedMethod<A>> collected = new ArrayList<>();

	AnnotatedMethodCollector(Class<A> annotationType) {
		this.annotationType = annotationType;
	}

	/**
	 * Return the annotated methods of a bean; none for AOP infrastructure and the targets
	 * of scoped proxies (their proxy is processed instead).
	 * @param bean the bean as initialised
	 * @param beanName its name
	 * @return the methods with their merged annotation
	 */
	List<AnnotatedMethod<A>> find(Object bean, String beanName) {
		if (bean instanceof AopInfrastructureBean || ScopedProxyUtils.isScopedTarget(beanName)) {
			return List.of();
		}
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithout.contains(targetClass)
				|| !AnnotationUtils.isCandidateClass(targetClass, this.annotationType)) {
			return List.of();
		}
		Map<Method, A> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						this.annotationType));
		if (methods.isEmpty()) {
			this.classesWithout.add(targetClass);
			return List.of();
		}
		List<AnnotatedMethod<A>> found = new ArrayList<>();
		methods.forEach((method, annotation) -> found.add(new AnnotatedMethod<>(bean, beanName, method, annotation)));
		return found;
	}

	/**
	 * Hold methods until {@link #drain()}.
	 * @param methods the methods
	 */
	void collect(List<AnnotatedMethod<A>> methods) {
		synchronized (this.collected) {
			this.collected.addAll(methods);
		}
	}

	/**
	 * Return and forget the methods held so far, in the order they were found.
	 * @return the methods
	 */
	List<AnnotatedMethod<A>> drain() {
		synchronized (this.collected) {
			List<AnnotatedMethod<A>> drained = new ArrayList<>(this.collected);
			this.collected.clear();
			return drained;
		}
	}

	/**
	 * A method found on a bean.
	 *
	 * @param <A> the annotation type
	 * @param bean the bean the method is called on
	 * @param beanName the bean's name
	 * @param method the method, declared on the target class
	 * @param annotation the merged annotation
	 */
	record AnnotatedMethod<A extends Annotation>(Object bean, String beanName, Method method, A annotation) {

		AnnotatedMethod<A> withBean(Object bean) {
			return new AnnotatedMethod<>(bean, this.beanName, this.method, this.annotation);
		}

	}

}
