package io.celery4j.boot.autoconfigure;

import java.util.UUID;

import io.celery4j.backend.ResultBackend;
import io.celery4j.broker.Broker;
import io.celery4j.client.CeleryClient;
import io.celery4j.testsupport.RedisTestServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests on a real Redis broker and backend. Each run owns its queue, so tests
 * sharing the server do not see each other's messages.
 */
class CeleryRedisIntegrationTests extends AbstractCeleryEndToEndTests {

	private final String queue = "boot-e2e-" + UUID.randomUUID();

	@Override
	String[] transportProperties() {
		RedisTestServer redis = RedisTestServer.get();
		return new String[] { "celery.broker-url=" + redis.url(0), "celery.result-backend=" + redis.url(1),
				"celery.result-expires=120", "celery.worker.queues=" + this.queue,
				"celery.task.default-queue=" + this.queue };
	}

	@Test
	void usesRedisForBrokerAndBackend() {
		contextRunner().run((context) -> {
			RedisTestServer redis = RedisTestServer.get();
			assertThat(context.getBean(Broker.class).maskedUrl()).contains(":" + redis.port() + "/0");
			assertThat(context.getBean(ResultBackend.class).maskedUrl()).contains(":" + redis.port() + "/1");
		});
	}

	@Test
	void usesTheApplicationsRedisWhenUseSpringDataRedisIsSet() {
		RedisTestServer redis = RedisTestServer.get();
		contextRunner().withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("celery.use-spring-data-redis=true", "celery.result-backend=",
					"spring.data.redis.url=" + redis.url(2))
			.run((context) -> {
				assertThat(context.getBean(Broker.class).maskedUrl()).contains("spring.data.redis");
				CeleryClient client = context.getBean(CeleryClient.class);
				assertThat(client.send("tasks.add", 40, 2).get(TIMEOUT, Integer.class)).isEqualTo(42);
			});
	}

}
