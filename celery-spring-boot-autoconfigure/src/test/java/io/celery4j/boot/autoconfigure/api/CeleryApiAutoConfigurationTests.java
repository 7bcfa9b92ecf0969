package io.celery4j.boot.autoconfigure.api;

import io.celery4j.boot.api.CeleryApiController;
import io.celery4j.boot.api.CeleryWorkers;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.control.CeleryControl;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CeleryApiAutoConfiguration}.
 */
class CeleryApiAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
				CeleryApiAutoConfiguration.class));

	@Test
	void isOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CeleryApiController.class)
			.doesNotHaveBean(CeleryWorkers.class));
	}

	@Test
	void createsControllerWorkersViewAndControlWhenEnabled() {
		this.contextRunner.withPropertyValues("celery.api.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(CeleryApiController.class).hasSingleBean(CeleryControl.class);
			CeleryWorkers workers = context.getBean(CeleryWorkers.class);
			assertThat(workers.getControl()).isSameAs(context.getBean(CeleryControl.class));
			assertThat(context).hasBean("celeryDashboardConfigurer");
		});
	}

	@Test
	void backsOffWhenUserDefinesCeleryControl() {
		this.contextRunner.withPropertyValues("celery.api.enabled=true")
			.withBean("myControl", CeleryControl.class,
					() -> new CeleryControl(io.celery4j.broker.Brokers.create("memory://")))
			.run((context) -> assertThat(context.getBean(CeleryWorkers.class).getControl())
				.isSameAs(context.getBean("myControl")));
	}

	@Test
	void isOffInANonWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryApiAutoConfiguration.class))
			.withPropertyValues("celery.api.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryApiController.class));
	}

	@Test
	void isOffWithoutSpringMvc() {
		this.contextRunner.withPropertyValues("celery.api.enabled=true")
			.withClassLoader(new FilteredClassLoader(WebMvcConfigurer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryApiController.class));
	}

}
