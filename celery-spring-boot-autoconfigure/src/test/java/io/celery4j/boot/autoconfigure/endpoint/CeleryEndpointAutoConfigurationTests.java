package io.celery4j.boot.autoconfigure.endpoint;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.beat.CeleryBeatAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.boot.endpoint.CeleryEndpoint;
import io.celery4j.boot.endpoint.CeleryEndpoint.CeleryDescriptor;
import io.celery4j.boot.endpoint.CeleryEndpoint.ControlReply;
import io.celery4j.client.CeleryClient;
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
	void answersRateLimitAsNotSupportedYet() {
		this.contextRunner.run((context) -> {
			WebEndpointResponse<ControlReply> reply = context.getBean(CeleryEndpoint.class)
				.control("rate-limit", null, null, "endpoint.echo", "10/m");
			assertThat(reply.getStatus()).isEqualTo(501);
			assertThat(reply.getBody().message()).contains("not supported yet").contains("endpoint.echo");
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
