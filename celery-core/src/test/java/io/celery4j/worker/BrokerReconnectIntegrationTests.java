package io.celery4j.worker;

import java.time.Duration;

import ch.qos.logback.classic.Level;
import io.celery4j.testsupport.RedisTestServer;
import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker survives losing Redis: it retries with back-off, logs one warning when the
 * broker is lost and one when it is back, and runs new tasks afterwards.
 */
class BrokerReconnectIntegrationTests {

	private static final Duration RECOVERY = Duration.ofSeconds(30);

	private TestWorker harness;

	@AfterEach
	void close() {
		if (this.harness != null) {
			this.harness.close();
		}
	}

	@Test
	void reconnectsByItselfAndLogsOnceWhenLostAndOnceWhenBack() {
		RedisTestServer redis = RedisTestServer.get();
		assumeThat(redis.isControllable()).as("Redis is not started by the tests, so it cannot be stopped").isTrue();
		this.harness = TestWorker.onRedis(failFast(redis, 12), failFast(redis, 13), redis.url(12))
			.task("tasks.echo", (context) -> context.getArgs().get(0));
		try (LogCapture log = LogCapture.of(Level.WARN, BrokerConnectionState.class);
				LogCapture others = LogCapture.of(Level.WARN, "io.celery4j.backend", "io.lettuce")) {
			this.harness.start(2);
			assertThat(this.harness.send("tasks.echo", "before").get(TestWorker.TIMEOUT)).isEqualTo("before");

			redis.stop();
			try {
				await().atMost(RECOVERY).until(() -> !log.messages(Level.WARN).isEmpty());
			}
			finally {
				redis.restart();
			}
			await().atMost(RECOVERY).until(() -> log.messages(Level.WARN).size() >= 2);
			assertThat(this.harness.send("tasks.echo", "after").get(TestWorker.TIMEOUT)).isEqualTo("after");

			assertThat(log.messages(Level.WARN)).hasSize(2);
			assertThat(log.messages(Level.WARN).get(0)).startsWith("Broker redis://").contains(" lost: ");
			assertThat(log.messages(Level.WARN).get(1)).startsWith("Broker redis://")
				.endsWith("is back; consuming again");
			assertThat(log.events()).allSatisfy((event) -> assertThat(event.getThrowableProxy()).isNull());
		}
	}

	/**
	 * A connection factory whose commands fail while the connection is down, instead of
	 * waiting in Lettuce's buffer until the 60 s command timeout, so that the broker
	 * fails as the {@code Broker} contract says (a fetch blocks at most its timeout).
	 */
	private static LettuceConnectionFactory failFast(RedisTestServer redis, int db) {
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(redis.host(), redis.port());
		server.setDatabase(db);
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(Duration.ofSeconds(3))
			.clientOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
