package io.celery4j.broker.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.celery4j.broker.Broker;
import io.celery4j.broker.BrokerUrl;
import io.celery4j.broker.Brokers;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.KombuVectors;
import io.celery4j.testsupport.RedisTestServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisBroker} and real kombu (the Python Celery 5.2.6 stack) on one Redis: each
 * reads what the other wrote. Skipped when {@code /usr/bin/python3} cannot import celery,
 * unless {@code CELERY_INTEROP=required}. Uses db 13 only, flushed before each test.
 */
class RedisBrokerInteropTests {

	private static final int DB = 13;

	private static final String PYTHON = "/usr/bin/python3";

	private static LettuceConnectionFactory rawFactory;

	private RedisConnection raw;

	private Broker broker;

	private String url;

	@BeforeAll
	static void requirePythonCelery() {
		String problem = pythonCeleryProblem();
		if (problem != null) {
			if ("required".equalsIgnoreCase(System.getenv("CELERY_INTEROP"))) {
				throw new IllegalStateException("CELERY_INTEROP=required but " + problem);
			}
			Assumptions.abort("Python Celery interop tests skipped: " + problem);
		}
		rawFactory = RedisConnectionFactories.create(BrokerUrl.parse(RedisTestServer.get().url(DB)));
	}

	@AfterAll
	static void stopFactory() {
		if (rawFactory != null) {
			rawFactory.destroy();
		}
	}

	@BeforeEach
	void flushAndCreateBroker() {
		this.raw = rawFactory.getConnection();
		this.raw.serverCommands().flushDb();
		this.url = RedisTestServer.get().url(DB);
		this.broker = Brokers.create(this.url);
	}

	@AfterEach
	void close() {
		this.broker.close();
		this.raw.close();
	}

	@Test
	void fetchesWhatAPythonClientSendsAndRecordsItAsKombuWould() throws Exception {
		String ids = python("""
				import sys
				from celery import Celery
				app = Celery(broker=sys.argv[1])
				print(app.send_task('tasks.add', (2, 3)).id)
				print(app.send_task('tasks.add', (4, 5), priority=5).id)
				""", this.url);
		List<Delivery> deliveries = this.broker.fetch(List.of("celery"), 4, Duration.ZERO);
		assertThat(deliveries).hasSize(2);
		assertThat(deliveries.get(0).envelope()).contains("\"id\": \"" + ids.lines().findFirst().orElseThrow() + "\"");
		assertThat(deliveries.get(1).envelope()).contains("\"priority\": 5");
		String check = python("""
				import json, sys, redis
				client = redis.Redis.from_url(sys.argv[1])
				for tag in sys.argv[2:]:
				    value = client.hget('unacked', tag).decode()
				    message, exchange, routing_key = json.loads(value)
				    assert message['properties']['delivery_tag'] == tag, tag
				    assert value == json.dumps([message, exchange, routing_key]), value
				    assert client.zscore('unacked_index', tag) is not None, tag
				print('ok')
				""", this.url, deliveries.get(0).deliveryTag(), deliveries.get(1).deliveryTag());
		assertThat(check).isEqualToIgnoringNewLines("ok");
	}

	@Test
	void kombuRestoresAMessageThisBrokerLeftUnacknowledged() throws Exception {
		this.broker.publish("celery", 0, KombuVectors.taskAdd("left-by-java"));
		this.broker.fetch(List.of("celery"), 1, Duration.ZERO);
		python("""
				import sys
				from kombu import Connection
				with Connection(sys.argv[1], transport_options={'visibility_timeout': 0}) as connection:
				    connection.default_channel.qos.restore_visible(num=None)
				""", this.url);
		assertThat(this.raw.listCommands().lRange(bytes("celery"), 0, -1)).extracting(RedisBrokerInteropTests::string)
			.containsExactly(KombuVectors.taskAdd("left-by-java")
				.replace("\"ignore_result\": false}", "\"ignore_result\": false, \"redelivered\": true}")
				.replace("\"routing_key\": \"celery\"}", "\"routing_key\": \"celery\", \"redelivered\": true}"));
		assertThat(this.raw.keyCommands().exists(bytes("unacked"))).isFalse();
	}

	@Test
	void restoresAMessageAKombuConsumerLeftUnacknowledged() throws Exception {
		this.broker.publish("celery", 0, KombuVectors.taskAdd("left-by-python"));
		// The consumer dies without acknowledging and without kombu's restore at close.
		python("""
				import os, sys
				from kombu import Connection
				connection = Connection(sys.argv[1])
				message = connection.SimpleQueue('celery').get(timeout=10)
				print(message.delivery_tag, flush=True)
				os._exit(0)
				""", this.url);
		assertThat(this.raw.hashCommands().hKeys(bytes("unacked"))).extracting(RedisBrokerInteropTests::string)
			.containsExactly("left-by-python");
		assertThat(this.broker.restoreExpired(Duration.ZERO)).isOne();
		Delivery again = this.broker.fetch(List.of("celery"), 1, Duration.ZERO).get(0);
		assertThat(again.deliveryTag()).isEqualTo("left-by-python");
		assertThat(again.envelope()).contains("\"redelivered\": true}, \"properties\"");
	}

	private static String python(String script, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
		command.addAll(List.of(args));
		Path output = Files.createTempFile("celery4j-interop", ".txt");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Python did not finish within 60 s: " + Files.readString(output));
			}
			String text = Files.readString(output);
			assertThat(process.exitValue()).as("python exit code, output:%n%s", text).isZero();
			return text;
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static @Nullable String pythonCeleryProblem() {
		if (!Files.isExecutable(Path.of(PYTHON))) {
			return PYTHON + " is not installed";
		}
		try {
			python("import celery, kombu, redis");
			return null;
		}
		catch (AssertionError | IllegalStateException ex) {
			return PYTHON + " cannot import celery, kombu and redis: " + ex.getMessage();
		}
		catch (IOException ex) {
			return PYTHON + " could not be started: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted while checking " + PYTHON;
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
