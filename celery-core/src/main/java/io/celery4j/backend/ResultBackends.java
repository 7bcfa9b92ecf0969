package io.celery4j.backend;

import java.time.Duration;
import java.util.Locale;

import io.celery4j.backend.memory.MemoryResultBackend;
import io.celery4j.backend.redis.RedisResultBackend;
import io.celery4j.broker.BrokerUrl;
import io.celery4j.broker.redis.RedisConnectionFactories;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * Creates result backends from {@code celery.result-backend} URLs, as Celery's
 * {@code result_backend} setting does: {@code redis://} and {@code rediss://} (Celery's
 * Redis backend, PROTOCOL.md section 3), {@code memory://} (this JVM only) and
 * {@code disabled}.
 *
 * <pre class="code">
 * ResultBackend backend = ResultBackends.create("redis://localhost:6379/1", Duration.ofDays(1));
 * </pre>
 */
public final class ResultBackends {

	private static final String ACCEPTED = "redis://[[user]:password@]host[:port][/db], rediss://... "
			+ "(TLS, ?ssl_cert_reqs=none to skip certificate checks), memory:// or disabled";

	private ResultBackends() {
	}

	/**
	 * Create the backend for a URL. A Redis backend created here owns its connections and
	 * releases them on {@link ResultBackend#close()}.
	 * @param url the {@code celery.result-backend} value; empty or {@code disabled} turns
	 * results off
	 * @param expires how long results are kept (Celery's {@code result_expires}); zero
	 * keeps them forever
	 * @return the backend
	 * @throws IllegalArgumentException if the URL is not one of the accepted forms or
	 * {@code expires} is negative; the message shows the URL masked
	 */
	public static ResultBackend create(@Nullable String url, Duration expires) {
		checkExpires(expires);
		String trimmed = (url != null) ? url.trim() : "";
		if (trimmed.isEmpty() || trimmed.equalsIgnoreCase(DisabledResultBackend.URL)) {
			return new DisabledResultBackend();
		}
		String scheme = scheme(trimmed);
		if (scheme.equals("memory")) {
			return new MemoryResultBackend(expires);
		}
		if (scheme.equals("redis") || scheme.equals("rediss")) {
			BrokerUrl parsed = BrokerUrl.parse(trimmed);
			LettuceConnectionFactory factory = RedisConnectionFactories.create(parsed);
			return new RedisResultBackend(factory, expires, parsed.masked(), true);
		}
		throw new IllegalArgumentException("Result backend '" + BrokerUrl.mask(trimmed)
				+ "' (celery.result-backend) is not supported; expected " + ACCEPTED);
	}

	/**
	 * Create a Redis backend on an application's connection factory, which the backend
	 * uses but does not own: closing the backend leaves the factory running.
	 * @param factory the connection factory, a started {@code LettuceConnectionFactory}
	 * @param expires how long results are kept; zero keeps them forever
	 * @param description what {@link ResultBackend#maskedUrl()} shows, for example the
	 * factory's URL (masked again here)
	 * @return the backend
	 * @throws IllegalArgumentException if the factory is not a
	 * {@code LettuceConnectionFactory} or {@code expires} is negative
	 */
	public static ResultBackend redis(RedisConnectionFactory factory, Duration expires, String description) {
		Assert.notNull(factory, "'factory' must not be null");
		Assert.hasText(description, "'description' must not be empty");
		checkExpires(expires);
		return new RedisResultBackend(factory, expires, description, false);
	}

	private static void checkExpires(Duration expires) {
		Assert.notNull(expires, "'expires' must not be null");
		if (expires.isNegative()) {
			throw new IllegalArgumentException("Result expiry (celery.result-expires) must not be negative, got "
					+ expires.getSeconds() + "s; use 0 to keep results forever");
		}
	}

	private static String scheme(String url) {
		int separator = url.indexOf("://");
		return (separator > 0) ? url.substring(0, separator).toLowerCase(Locale.ROOT) : "";
	}

}
