package io.celery4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis for integration tests, one per test JVM, found in this order:
 * {@code CELERY_TEST_REDIS_URL} when set; a Testcontainers container when a Docker engine
 * answers; otherwise the {@code redis-server} binary shipped by embedded-redis, started
 * on a free port. Never a mock.
 *
 * <pre class="code">
 * String broker = RedisTestServer.get().url(0);
 * </pre>
 */
public final class RedisTestServer {

	private static final Logger logger = LoggerFactory.getLogger(RedisTestServer.class);

	private static @Nullable RedisTestServer instance;

	private final String host;

	private final int port;

	private final @Nullable String password;

	private final @Nullable RedisServer embedded;

	private RedisTestServer(String host, int port, @Nullable String password, @Nullable RedisServer embedded) {
		this.host = host;
		this.port = port;
		this.password = password;
		this.embedded = embedded;
	}

	/**
	 * Return the test JVM's Redis, starting it on first use.
	 * @return the server
	 */
	public static synchronized RedisTestServer get() {
		if (instance == null) {
			instance = start();
		}
		return instance;
	}

	private static RedisTestServer start() {
		String url = System.getenv("CELERY_TEST_REDIS_URL");
		if (url != null && !url.isBlank()) {
			URI uri = URI.create(url.trim());
			String userInfo = uri.getUserInfo();
			String password = (userInfo != null) ? userInfo.substring(userInfo.indexOf(':') + 1) : null;
			logger.info("Tests use Redis from CELERY_TEST_REDIS_URL at {}:{}", uri.getHost(), uri.getPort());
			return new RedisTestServer(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379, password, null);
		}
		RedisTestServer container = TestcontainersRedis.startIfDockerAnswers();
		if (container != null) {
			return container;
		}
		return startEmbedded();
	}

	static RedisTestServer external(String host, int port) {
		return new RedisTestServer(host, port, null, null);
	}

	private static RedisTestServer startEmbedded() {
		int port = freePort();
		try {
			RedisServer server = RedisServer.newRedisServer()
				.port(port)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.setting("databases 16")
				.build();
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server), "redis-test-server-stop"));
			logger.info("Tests use an embedded redis-server on 127.0.0.1:{}", port);
			return new RedisTestServer("127.0.0.1", port, null, server);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded redis-server on port " + port, ex);
		}
	}

	private static void stopQuietly(RedisServer server) {
		try {
			server.stop();
		}
		catch (IOException ex) {
			// The JVM is exiting; nothing more to do.
		}
	}

	/**
	 * Return a port nobody listens on now.
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the URL of one database, in the form {@code celery.broker-url} takes.
	 * @param db the database number
	 * @return for example {@code redis://127.0.0.1:6390/1}
	 */
	public String url(int db) {
		String auth = (this.password != null) ? ":" + this.password + "@" : "";
		return "redis://" + auth + this.host + ":" + this.port + "/" + db;
	}

	/**
	 * Return the host.
	 * @return the host
	 */
	public String host() {
		return this.host;
	}

	/**
	 * Return the port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return whether this test JVM started the server itself and can stop and restart it
	 * (for tests of lost connections).
	 * @return whether {@link #stop()} and {@link #restart()} work
	 */
	public boolean isControllable() {
		return this.embedded != null;
	}

	/**
	 * Stop the server (embedded only), to test a lost broker.
	 */
	public void stop() {
		requireControllable();
		stopQuietly(this.embedded);
	}

	/**
	 * Start the server again on the same port (embedded only).
	 */
	public void restart() {
		requireControllable();
		try {
			this.embedded.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void requireControllable() {
		if (this.embedded == null) {
			throw new IllegalStateException("Redis at " + this.host + ":" + this.port
					+ " is not started by the tests and cannot be stopped or restarted by them");
		}
	}

}
