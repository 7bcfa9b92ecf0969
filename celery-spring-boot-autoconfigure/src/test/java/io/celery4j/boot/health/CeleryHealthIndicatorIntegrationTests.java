package io.celery4j.boot.health;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.health.CeleryHealthContributorAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.testsupport.RedisTestServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The health indicator on a real Redis that is stopped and started again: DOWN with the
 * error while Redis is away, UP again afterwards without a restart, and tasks flow again.
 */
class CeleryHealthIndicatorIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final String queue = "health-it-" + UUID.randomUUID();

	@Test
	void isDownWhileRedisIsStoppedAndUpAgainAfterItRestarts() {
		RedisTestServer redis = RedisTestServer.get();
		assumeThat(redis.isControllable()).as("Redis is not started by the tests, so it cannot be stopped").isTrue();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
					CeleryHealthContributorAutoConfiguration.class))
			.withBean(HealthTasks.class)
			.withPropertyValues("celery.broker-url=" + redis.url(0), "celery.result-backend=" + redis.url(1),
					"celery.result-expires=120", "celery.worker.queues=" + this.queue,
					"celery.task.default-queue=" + this.queue, "celery.worker.shutdown-timeout=5s")
			.run((context) -> {
				CeleryHealthIndicator indicator = context.getBean(CeleryHealthIndicator.class);
				CeleryClient client = context.getBean(CeleryClient.class);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				assertThat(client.send("health.double", 21).get(TIMEOUT, Integer.class)).isEqualTo(42);
				redis.stop();
				try {
					await().atMost(TIMEOUT).untilAsserted(() -> {
						Health health = indicator.health();
						assertThat(health.getStatus()).isEqualTo(Status.DOWN);
						assertThat(health.getDetails().get("error").toString())
							.startsWith("Celery broker does not answer");
						assertThat(health.getDetails().get("broker").toString()).contains(":" + redis.port());
					});
				}
				finally {
					redis.restart();
				}
				await().atMost(TIMEOUT).until(() -> Status.UP.equals(indicator.health().getStatus()));
				List<AsyncResult> results = IntStream.range(0, 10)
					.mapToObj((i) -> client.send("health.double", i))
					.toList();
				for (int i = 0; i < results.size(); i++) {
					assertThat(results.get(i).get(TIMEOUT, Integer.class)).isEqualTo(2 * i);
				}
			});
	}

	static class HealthTasks {

		@CeleryTask(name = "health.double")
		public int twice(int value) {
			return 2 * value;
		}

	}

}
