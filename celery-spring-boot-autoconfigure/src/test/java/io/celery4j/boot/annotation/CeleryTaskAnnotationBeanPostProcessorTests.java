package io.celery4j.boot.annotation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.annotation.TaskParam;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.client.CeleryClient;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CeleryTaskAnnotationBeanPostProcessor}: discovery of
 * {@code @CeleryTask} methods through the auto-configuration.
 */
class CeleryTaskAnnotationBeanPostProcessorTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class));

	@Test
	void registersAnnotatedMethodsUnderTheirNames() {
		this.contextRunner.withBean("mathTasks", MathTasks.class).run((context) -> {
			TaskRegistry registry = context.getBean(TaskRegistry.class);
			// Beside Celery's built-in canvas tasks (celery.map, ...) the worker
			// registers.
			assertThat(registry.all()).extracting(TaskDefinition::name)
				.filteredOn((name) -> !name.startsWith("celery."))
				.containsExactlyInAnyOrder("tasks.add", "tasks.greet");
			assertThat(registry.get("tasks.add").source()).isEqualTo("MathTasks#add(int, int)");
		});
	}

	@Test
	void namesTaskAfterBeanAndMethodWhenNoNameIsGiven() {
		this.contextRunner.withBean("reports", UnnamedTasks.class)
			.run((context) -> assertThat(context.getBean(TaskRegistry.class).find("reports.daily")).isNotNull());
	}

	@Test
	void resolvesPlaceholdersInNameQueueAndFlags() {
		this.contextRunner.withBean("placeholderTasks", PlaceholderTasks.class)
			.withPropertyValues("app.task-prefix=billing", "app.queue=invoices", "app.acks-late=true")
			.run((context) -> {
				TaskDefinition task = context.getBean(TaskRegistry.class).get("billing.invoice");
				assertThat(task.options().queue()).isEqualTo("invoices");
				assertThat(task.options().acksLate()).isTrue();
				assertThat(task.options().ignoreResult()).isFalse();
			});
	}

	@Test
	void takesOptionsLeftEmptyFromTaskProperties() {
		this.contextRunner.withBean("mathTasks", MathTasks.class)
			.withPropertyValues("celery.task.acks-late=true", "celery.task.ignore-result=true")
			.run((context) -> {
				TaskDefinition task = context.getBean(TaskRegistry.class).get("tasks.add");
				assertThat(task.options().acksLate()).isTrue();
				assertThat(task.options().ignoreResult()).isTrue();
				assertThat(task.options().queue()).isNull();
			});
	}

	@Test
	void failsWhenTwoMethodsDeclareTheSameTaskName() {
		this.contextRunner.withBean("mathTasks", MathTasks.class)
			.withBean("legacyTasks", LegacyTasks.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.hasMessageContaining("Task name 'tasks.add' is declared twice")
					.hasMessageContaining("MathTasks#add(int, int)")
					.hasMessageContaining("LegacyTasks#add(long, long)");
			});
	}

	@Test
	void failsOnFlagThatIsNeitherTrueNorFalseNamingTheMethod() {
		this.contextRunner.withBean("badTasks", BadFlagTasks.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.hasMessageContaining("@CeleryTask(acksLate = \"maybe\")")
				.hasMessageContaining("BadFlagTasks#work()");
		});
	}

	@Test
	void findsTasksBehindJdkProxyAndCallsThroughIt() {
		this.contextRunner.withUserConfiguration(JdkProxyConfiguration.class).run((context) -> {
			assertThat(AopUtils.isJdkDynamicProxy(context.getBean("greeter"))).isTrue();
			CeleryClient client = context.getBean(CeleryClient.class);
			assertThat(client.send("proxied.greet", "Ada").get(TIMEOUT)).isEqualTo("Hello, Ada!");
			assertThat(context.getBean(JdkProxyConfiguration.class).calls).hasValue(1);
		});
	}

	@Test
	void findsTasksBehindCglibProxyAndCallsThroughIt() {
		this.contextRunner.withUserConfiguration(CglibProxyConfiguration.class).run((context) -> {
			assertThat(AopUtils.isCglibProxy(context.getBean("mathTasks"))).isTrue();
			CeleryClient client = context.getBean(CeleryClient.class);
			assertThat(client.send("tasks.add", 2, 3).get(TIMEOUT, Integer.class)).isEqualTo(5);
			assertThat(context.getBean(CglibProxyConfiguration.class).calls).hasValue(1);
		});
	}

	@Test
	void callsTheExposedProxyWhenItWrapsTheBeanAfterDiscovery() throws Exception {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		TaskRegistry registry = new TaskRegistry();
		beanFactory.registerSingleton("celeryTaskRegistry", registry);
		beanFactory.registerSingleton("celeryTaskDefinitionFactory",
				new TaskDefinitionFactory(TaskOptions.defaults(), Json.mapper()));
		CeleryTaskAnnotationBeanPostProcessor postProcessor = new CeleryTaskAnnotationBeanPostProcessor(
				beanFactory.getBeanProvider(TaskRegistry.class),
				beanFactory.getBeanProvider(TaskDefinitionFactory.class));
		postProcessor.setBeanFactory(beanFactory);
		MathTasks target = new MathTasks();
		AtomicInteger calls = new AtomicInteger();
		ProxyFactory proxyFactory = new ProxyFactory(target);
		proxyFactory.setProxyTargetClass(true);
		proxyFactory.addAdvice(counting(() -> calls));
		postProcessor.postProcessAfterInitialization(target, "mathTasks");
		// A later post-processor wrapped the bean: the context exposes the proxy.
		beanFactory.registerSingleton("mathTasks", proxyFactory.getProxy());
		postProcessor.afterSingletonsInstantiated();
		TaskMessage message = TaskMessage.builder("tasks.add").args(List.<Object>of(2, 3)).build();
		Object result = registry.get("tasks.add").invoker().invoke(new TaskContext(message, "celery@test"));
		assertThat(result).isEqualTo(5);
		assertThat(calls).hasValue(1);
	}

	@Test
	void registersTasksOfLazyBeanWhenItIsCreated() {
		this.contextRunner.withUserConfiguration(LazyTasksConfiguration.class).run((context) -> {
			TaskRegistry registry = context.getBean(TaskRegistry.class);
			assertThat(registry.find("tasks.add")).isNull();
			context.getBean(MathTasks.class);
			assertThat(registry.find("tasks.add")).isNotNull();
		});
	}

	static class MathTasks {

		@CeleryTask(name = "tasks.add")
		public int add(int x, int y) {
			return x + y;
		}

		@CeleryTask(name = "tasks.greet")
		public String greet(String name, @TaskParam(defaultValue = "Hello") String greeting) {
			return greeting + ", " + name + "!";
		}

		public int notATask() {
			return 0;
		}

	}

	static class LegacyTasks {

		@CeleryTask(name = "tasks.add")
		public long add(long x, long y) {
			return x + y;
		}

	}

	static class UnnamedTasks {

		@CeleryTask
		public String daily() {
			return "done";
		}

	}

	static class PlaceholderTasks {

		@CeleryTask(name = "${app.task-prefix}.invoice", queue = "${app.queue}", acksLate = "${app.acks-late}",
				ignoreResult = "${app.ignore-result:}")
		public void invoice() {
		}

	}

	static class BadFlagTasks {

		@CeleryTask(name = "tasks.work", acksLate = "maybe")
		public void work() {
		}

	}

	/**
	 * A task interface, as a bean with interface-based advice (such as
	 * {@code @Transactional} without class proxies) is seen only through it.
	 */
	interface Greeter {

		String greet(String name, String greeting);

	}

	static class GreeterTasks implements Greeter {

		@Override
		@CeleryTask(name = "proxied.greet")
		public String greet(String name, @TaskParam(defaultValue = "Hello") String greeting) {
			return greeting + ", " + name + "!";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JdkProxyConfiguration {

		final AtomicInteger calls = new AtomicInteger();

		@Bean
		GreeterTasks greeter() {
			return new GreeterTasks();
		}

		@Bean
		static BeanPostProcessor countingJdkProxies(ObjectProvider<JdkProxyConfiguration> configuration) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!beanName.equals("greeter")) {
						return bean;
					}
					ProxyFactory factory = new ProxyFactory(bean);
					factory.addInterface(Greeter.class);
					factory.addAdvice(counting(() -> configuration.getObject().calls));
					return factory.getProxy();
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CglibProxyConfiguration {

		final AtomicInteger calls = new AtomicInteger();

		@Bean
		MathTasks mathTasks() {
			return new MathTasks();
		}

		@Bean
		static BeanPostProcessor countingClassProxies(ObjectProvider<CglibProxyConfiguration> configuration) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!beanName.equals("mathTasks")) {
						return bean;
					}
					ProxyFactory factory = new ProxyFactory(bean);
					factory.setProxyTargetClass(true);
					factory.addAdvice(counting(() -> configuration.getObject().calls));
					return factory.getProxy();
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyTasksConfiguration {

		@Bean
		@Lazy
		MathTasks mathTasks() {
			return new MathTasks();
		}

	}

	static MethodInterceptor counting(Supplier<AtomicInteger> calls) {
		return (invocation) -> {
			calls.get().incrementAndGet();
			return invocation.proceed();
		};
	}

}
