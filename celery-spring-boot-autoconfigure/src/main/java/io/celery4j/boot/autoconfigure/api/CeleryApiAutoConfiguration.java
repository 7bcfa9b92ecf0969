package io.celery4j.boot.autoconfigure.api;

import io.celery4j.boot.api.CeleryApiController;
import io.celery4j.boot.api.CeleryTaskEventState;
import io.celery4j.boot.api.CeleryWorkers;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.boot.autoconfigure.MonitoredQueues;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.broker.Broker;
import io.celery4j.client.CeleryClient;
import io.celery4j.control.CeleryControl;
import io.celery4j.events.TaskEventState;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.WorkerContainer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of the Flower-compatible HTTP API under {@code /api} and the
 * dashboard under {@code /celery}, when {@code celery.api.enabled=true}.
 */
@AutoConfiguration(after = { CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class })
@ConditionalOnClass(WebMvcConfigurer.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty("celery.api.enabled")
@ConditionalOnBean(CeleryClient.class)
public final class CeleryApiAutoConfiguration {

	CeleryApiAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryControl celeryControl(Broker broker) {
		return new CeleryControl(broker);
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryWorkers celeryWorkers(ObjectProvider<WorkerContainer> worker, TaskRegistry tasks,
			ObjectProvider<CeleryControl> control) {
		return new CeleryWorkers(worker.getIfUnique(), tasks, control.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryTaskEventState celeryTaskEventState(Broker broker) {
		return new CeleryTaskEventState(broker, new TaskEventState());
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryApiController celeryApiController(CeleryClient client, TaskRegistry tasks, CeleryWorkers workers,
			CeleryProperties properties, ObjectProvider<CeleryTaskEventState> events) {
		return new CeleryApiController(client, tasks, workers, MonitoredQueues.of(properties), events.getIfUnique());
	}

	@Bean
	WebMvcConfigurer celeryDashboardConfigurer() {
		return new WebMvcConfigurer() {

			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				registry.addResourceHandler("/celery/**")
					.addResourceLocations("classpath:/io/celery4j/boot/api/dashboard/");
			}

			@Override
			public void addViewControllers(ViewControllerRegistry registry) {
				registry.addRedirectViewController("/celery", "/celery/index.html");
			}

		};
	}

}
