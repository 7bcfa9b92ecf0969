package io.celery4j.testsupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Starts Redis in a container when a Docker engine answers; the second choice of
 * {@link RedisTestServer}.
 */
final class TestcontainersRedis {

	private static final Logger logger = LoggerFactory.getLogger(TestcontainersRedis.class);

	private TestcontainersRedis() {
	}

	@SuppressWarnings("resource")
	static @Nullable RedisTestServer startIfDockerAnswers() {
		if (!dockerAnswers()) {
			return null;
		}
		GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "redis-container-stop"));
		logger.info("Tests use Redis in a Testcontainers container at {}:{}", container.getHost(),
				container.getMappedPort(6379));
		return RedisTestServer.external(container.getHost(), container.getMappedPort(6379));
	}

	private static boolean dockerAnswers() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
