package io.celery4j.broker.redis;

import java.time.Duration;

import io.celery4j.broker.BrokerUrl;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * Creates Spring Data Redis connection factories (Lettuce) for {@code redis://} and
 * {@code rediss://} URLs, shared by the Redis broker and the Redis result backend.
 * Commands are rejected while the connection is down and time out after 10 seconds, so
 * that callers fail fast during an outage; Lettuce reconnects in the background.
 */
public final class RedisConnectionFactories {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The most any command waits for its reply. Longer than the broker's one-second
	 * {@code BRPOP}, far shorter than Lettuce's default of a minute.
	 */
	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private RedisConnectionFactories() {
	}

	/**
	 * Create and start a connection factory for a URL. The caller owns it and destroys it
	 * when done.
	 * @param url a redis or rediss URL
	 * @return the started factory
	 */
	public static LettuceConnectionFactory create(BrokerUrl url) {
		Assert.isTrue(!url.isMemory(), "'url' must be a redis:// or rediss:// URL");
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(url.host(), url.port());
		server.setDatabase(url.database());
		if (url.username() != null) {
			server.setUsername(url.username());
		}
		if (url.password() != null) {
			server.setPassword(url.password());
		}
		// While Redis is unreachable, commands fail at once instead of waiting in
		// Lettuce's buffer until the command timeout: a fetch, an ack, a result store or
		// a health check reports the outage now, and the connection still reconnects.
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
			.commandTimeout(COMMAND_TIMEOUT)
			.clientOptions(ClientOptions.builder()
				.socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build())
			.clientName("celery4j");
		if (url.isSsl()) {
			LettuceClientConfiguration.LettuceSslClientConfigurationBuilder ssl = client.useSsl();
			if (!url.verifyPeer()) {
				ssl.disablePeerVerification();
			}
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client.build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
