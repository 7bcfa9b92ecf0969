package io.celery4j.client;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.backend.memory.MemoryResultBackend;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.ArgumentBinder;
import io.celery4j.task.MethodTaskInvoker;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for sending tasks by method reference through {@link CeleryClient}.
 */
class CeleryClientMethodReferenceTests {

	private final MemoryBroker broker = new MemoryBroker();

	private final TaskRegistry registry = new TaskRegistry();

	private final CeleryClient client = new CeleryClient(this.broker, new MemoryResultBackend(Duration.ofHours(1)),
			new TaskRouter(Map.of(), this.registry, "celery"), ZoneOffset.UTC);

	@AfterEach
	void close() {
		this.broker.close();
	}

	@Test
	void sendsTheRegisteredTaskThatTheMethodRuns() throws Exception {
		register("math.add", new MathTasks(), MathTasks.class.getMethod("add", int.class, int.class));
		this.client.send(MathTasks.class, (tasks) -> tasks.add(2, 3));
		TaskMessage message = fetchOne();
		assertThat(message.taskName()).isEqualTo("math.add");
		assertThat(message.args()).containsExactly(2, 3);
	}

	@Test
	void leavesTaskContextParametersOutOfTheArguments() throws Exception {
		register("math.bound", new MathTasks(), MathTasks.class.getMethod("bound", TaskContext.class, String.class));
		this.client.send(MathTasks.class, (tasks) -> tasks.bound(null, "x"));
		TaskMessage message = fetchOne();
		assertThat(message.taskName()).isEqualTo("math.bound");
		assertThat(message.args()).containsExactly("x");
	}

	@Test
	void fallsBackToTheLiteralAnnotationNameForTasksRegisteredElsewhere() {
		this.client.send(RemoteTasks.class, (tasks) -> tasks.report(List.of("2026-11")),
				SendOptions.defaults().queue("reports"));
		TaskMessage message = fetchOne("reports");
		assertThat(message.taskName()).isEqualTo("reports.monthly");
		assertThat(message.args()).containsExactly(List.of("2026-11"));
	}

	@Test
	void failsNamingTheMethodWhenNoTaskNameCanBeFound() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.client.send(MathTasks.class, (tasks) -> tasks.add(1, 2)))
			.withMessageContaining("MathTasks#add")
			.withMessageContaining("not a registered task");
	}

	@Test
	void failsWhenTheLambdaCallsNoTaskMethod() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.send(MathTasks.class, (tasks) -> {
		})).withMessageContaining("exactly one task method, but it called 0");
	}

	private void register(String name, Object bean, Method method) {
		ArgumentBinder binder = new ArgumentBinder(name, method, Json.mapper());
		this.registry.register(new TaskDefinition(name, new MethodTaskInvoker(bean, method, binder),
				TaskOptions.defaults(), method.getName()));
	}

	private TaskMessage fetchOne() {
		return fetchOne("celery");
	}

	private TaskMessage fetchOne(String queue) {
		try {
			List<Delivery> deliveries = this.broker.fetch(List.of(queue), 10, Duration.ofSeconds(1));
			assertThat(deliveries).hasSize(1);
			return new TaskMessageCodec().decode(deliveries.get(0).envelope());
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class MathTasks {

		@CeleryTask
		public int add(int x, int y) {
			return x + y;
		}

		@CeleryTask
		public String bound(TaskContext context, String value) {
			return value;
		}

	}

	interface RemoteTasks {

		@CeleryTask(name = "reports.monthly")
		String report(List<String> months);

	}

}
