package io.celery4j.boot.autoconfigure.endpoint;

import java.util.List;
import java.util.Map;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.beat.CeleryBeatAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.boot.endpoint.CeleryEndpoint;
import io.celery4j.boot.endpoint.CeleryEndpoint.CeleryDescriptor;
import io.celery4j.boot.endpoint.CeleryEndpoint.ControlReply;
import io.celery4j.broker.Broker;
import io.celery4j.client.CeleryClient;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.WorkerContainer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CeleryEndpointAutoConfiguration} and what the endpoint shows.
 */
class CeleryEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
				CeleryBeatAutoConfiguration.class, CeleryEndpointAutoConfiguration.class))
		.withBean(EndpointTasks.class)
		.withPropertyValues("management.endpoints.web.exposure.include=celery", "celery.worker.name=endpoint@test",
				"celery.worker.concurrency=2", "celery.beat.schedule.nightly.task=endpoint.echo",
				"celery.beat.schedule.nightly.cron=0 4 * * *");

	@Test
	void showsLocalWorkerQueuesTasksAndSchedules() {
		this.contextRunner.run((context) -> {
			context.getBean(CeleryClient.class).send("endpoint.unknown");
			CeleryDescriptor celery = context.getBean(CeleryEndpoint.class).celery();
			assertThat(celery.workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.name()).isEqualTo("endpoint@test");
				assertThat(worker.local()).isTrue();
				assertThat(worker.pool()).isEqualTo("threads");
				assertThat(worker.concurrency()).isEqualTo(2);
			});
			assertThat(celery.queues()).singleElement()
				.satisfies((queue) -> assertThat(queue.name()).isEqualTo("celery"));
			// Beside Celery's built-in canvas tasks (celery.map, ...) the worker
			// registers.
			assertThat(celery.tasks()).filteredOn((task) -> !task.name().startsWith("celery."))
				.singleElement()
				.satisfies((task) -> assertThat(task.name()).isEqualTo("endpoint.echo"));
			assertThat(celery.schedules()).singleElement().satisfies((schedule) -> {
				assertThat(schedule.name()).isEqualTo("nightly");
				assertThat(schedule.task()).isEqualTo("endpoint.echo");
				assertThat(schedule.nextRun()).isNotNull();
			});
		});
	}

	@Test
	void rateLimitChangesTheLocalWorkersTask() {
		this.contextRunner.run((context) -> {
			WebEndpointResponse<ControlReply> reply = context.getBean(CeleryEndpoint.class)
				.control("rate-limit", null, null, "endpoint.echo", "10/m");
			assertThat(reply.getStatus()).isEqualTo(200);
			assertThat(reply.getBody().workers()).containsEntry("endpoint@test",
					Map.of("ok", "new rate limit set successfully"));
			assertThat(context.getBean(TaskRegistry.class).find("endpoint.echo").options().rateLimit().expression())
				.isEqualTo("10/m");
			WebEndpointResponse<ControlReply> removed = context.getBean(CeleryEndpoint.class)
				.control("rate-limit", null, null, "endpoint.echo", null);
			assertThat(removed.getBody().workers()).containsEntry("endpoint@test",
					Map.of("ok", "rate limit disabled successfully"));
			assertThat(context.getBean(TaskRegistry.class).find("endpoint.echo").options().rateLimit()).isNull();
		});
	}

	@Test
	void rateLimitChangesTheLocalTaskWithoutRemoteControl() {
		this.contextRunner.run((context) -> {
			CeleryEndpoint endpoint = new CeleryEndpoint(context.getBean(Broker.class),
					context.getBean(TaskRegistry.class), List.of("celery"), context.getBean(WorkerContainer.class),
					null, null);
			WebEndpointResponse<ControlReply> reply = endpoint.control("rate-limit", null, null, "endpoint.echo",
					"3/s");
			assertThat(reply.getStatus()).isEqualTo(200);
			assertThat(context.getBean(TaskRegistry.class).find("endpoint.echo").options().rateLimit().expression())
				.isEqualTo("3/s");
		});
	}

	@Test
	void rateLimitAnswers404ForATaskNoWorkerKnowsAnd400ForBadInput() {
		this.contextRunner.run((context) -> {
			CeleryEndpoint endpoint = context.getBean(CeleryEndpoint.class);
			WebEndpointResponse<ControlReply> unknown = endpoint.control("rate-limit", null, null, "endpoint.nope",
					"1/s");
			assertThat(unknown.getStatus()).isEqualTo(404);
			assertThat(unknown.getBody().message()).contains("endpoint.nope");
			assertThat(unknown.getBody().workers()).containsEntry("endpoint@test", Map.of("error", "unknown task"));
			WebEndpointResponse<ControlReply> noTask = endpoint.control("rate-limit", null, null, null, "1/s");
			assertThat(noTask.getStatus()).isEqualTo(400);
			assertThat(noTask.getBody().message()).contains("'task'");
			WebEndpointResponse<ControlReply> badRate = endpoint.control("rate-limit", null, null, "endpoint.echo",
					"fast");
			assertThat(badRate.getStatus()).isEqualTo(400);
			assertThat(badRate.getBody().message()).contains("endpoint.echo").contains("'fast' is not a rate limit");
		});
	}

	@Test
	void revokesThroughRemoteControl() {
		this.contextRunner.run((context) -> {
			WebEndpointResponse<ControlReply> reply = context.getBean(CeleryEndpoint.class)
				.control("revoke", "4f2c", false, null, null);
			assertThat(reply.getStatus()).isEqualTo(200);
			assertThat(reply.getBody().message()).startsWith("Revoked '4f2c'");
		});
	}

	@Test
	void rejectsRevokeWithoutTaskIdAndUnknownCommands() {
		this.contextRunner.run((context) -> {
			CeleryEndpoint endpoint = context.getBean(CeleryEndpoint.class);
			assertThat(endpoint.control("revoke", null, null, null, null).getBody().message()).contains("taskId");
			assertThat(endpoint.control("shutdown", null, null, null, null).getStatus()).isEqualTo(400);
		});
	}

	@Test
	void isOffWhenTheEndpointIsNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryEndpoint.class));
	}

	@Test
	void backsOffWhenUserDefinesCeleryEndpoint() {
		this.contextRunner
			.withBean("myEndpoint", CeleryEndpoint.class,
					() -> new CeleryEndpoint(io.celery4j.broker.Brokers.create("memory://"),
							new io.celery4j.task.TaskRegistry(), java.util.List.of(), null, null, null))
			.run((context) -> assertThat(context).getBean(CeleryEndpoint.class)
				.isSameAs(context.getBean("myEndpoint")));
	}

	static class EndpointTasks {

		@CeleryTask(name = "endpoint.echo")
		public String echo(String value) {
			return value;
		}

	}

}
