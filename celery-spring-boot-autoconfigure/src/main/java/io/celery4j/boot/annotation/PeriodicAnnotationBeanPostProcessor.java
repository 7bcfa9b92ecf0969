package io.celery4j.boot.annotation;

import java.util.ArrayList;
import java.util.List;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.annotation.Periodic;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.boot.annotation.AnnotatedMethodCollector.AnnotatedMethod;
import io.celery4j.beat.ScheduleEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.StringValueResolver;

/**
 * Finds {@code @Periodic} methods on beans, on the target class behind any proxy, and
 * adds their schedule entries to the {@link BeatScheduler} once every singleton exists.
 * It only collects: nothing is sent before beat starts. Counterpart of Celery's
 * {@code @app.on_after_configure} / {@code add_periodic_task}.
 */
public class PeriodicAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, EmbeddedValueResolverAware {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicAnnotationBeanPostProcessor.class);

	private final ObjectProvider<BeatScheduler> scheduler;

	private final ObjectProvider<PeriodicEntryFactory> entries;

	private final AnnotatedMethodCollector<Periodic> collector = new AnnotatedMethodCollector<>(Periodic.class);

	private @Nullable StringValueResolver resolver;

	/**
	 * Create a post-processor that adds entries to the given scheduler.
	 * @param scheduler the scheduler, looked up once every singleton exists
	 * @param entries turns annotated methods into schedule entries
	 */
	public PeriodicAnnotationBeanPostProcessor(ObjectProvider<BeatScheduler> scheduler,
			ObjectProvider<PeriodicEntryFactory> entries) {
		Assert.notNull(scheduler, "'scheduler' must not be null");
		Assert.notNull(entries, "'entries' must not be null");
		this.scheduler = scheduler;
		this.entries = entries;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		this.collector.collect(this.collector.find(bean, beanName));
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<AnnotatedMethod<Periodic>> periodics = this.collector.drain();
		if (periodics.isEmpty()) {
			return;
		}
		PeriodicEntryFactory factory = this.entries.getObject();
		List<ScheduleEntry> created = new ArrayList<>();
		for (AnnotatedMethod<Periodic> periodic : periodics) {
			created.add(factory.create(periodic.beanName(), periodic.method(), periodic.annotation(),
					AnnotatedElementUtils.findMergedAnnotation(periodic.method(), CeleryTask.class), this::resolve));
		}
		BeatScheduler scheduler = this.scheduler.getObject();
		created.forEach(scheduler::register);
		logger.debug("Scheduled {} @Periodic method(s)", created.size());
	}

	private @Nullable String resolve(String value) {
		StringValueResolver resolver = this.resolver;
		return (resolver != null) ? resolver.resolveStringValue(value) : value;
	}

}
