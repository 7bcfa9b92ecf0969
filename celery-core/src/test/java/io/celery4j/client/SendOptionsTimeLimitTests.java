package io.celery4j.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.broker.Delivery;
import io.celery4j.protocol.Json;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Per-call time limits ({@code SendOptions.timeLimit}/{@code softTimeLimit}, Celery's
 * {@code apply_async(time_limit=..., soft_time_limit=...)}) reach the message's
 * {@code timelimit} header as Celery writes it: {@code [hard, soft]} in seconds.
 */
class SendOptionsTimeLimitTests {

	private final String queue = "send-options-" + UUID.randomUUID();

	private final Broker broker = Brokers.create("memory://");

	private final ResultBackend backend = ResultBackends.create("memory://", Duration.ofHours(1));

	private final CeleryClient client = new CeleryClient(this.broker, this.backend,
			new TaskRouter(Map.of(), new TaskRegistry(), this.queue), ZoneOffset.UTC);

	@AfterEach
	void close() {
		this.backend.close();
		this.broker.close();
	}

	@Test
	void writesTheTimelimitHeaderAsCeleryDoes() {
		// Captured from Python: add.apply_async((2, 3), time_limit=10, soft_time_limit=5)
		JsonNode expected = headers(vector("task-timelimit.json")).get("timelimit");
		JsonNode sent = sentHeaders(
				SendOptions.defaults().timeLimit(Duration.ofSeconds(10)).softTimeLimit(Duration.ofSeconds(5)))
			.get("timelimit");
		assertThat(sent).isEqualTo(expected);
		assertThat(sent.toString()).isEqualTo("[10,5]");
	}

	@Test
	void writesFractionsOfASecondAsFloats() {
		JsonNode sent = sentHeaders(
				SendOptions.defaults().timeLimit(Duration.ofMillis(1500)).softTimeLimit(Duration.ofMillis(250)))
			.get("timelimit");
		assertThat(sent.toString()).isEqualTo("[1.5,0.25]");
	}

	@Test
	void writesNullForALimitThatIsNotSet() {
		assertThat(sentHeaders(SendOptions.defaults().softTimeLimit(Duration.ofSeconds(3))).get("timelimit").toString())
			.isEqualTo("[null,3]");
		assertThat(sentHeaders(SendOptions.defaults()).get("timelimit").toString()).isEqualTo("[null,null]");
	}

	@Test
	void keepsTheTimeLimitsWhenOtherOptionsAreSet() {
		SendOptions options = SendOptions.defaults()
			.timeLimit(Duration.ofSeconds(2))
			.softTimeLimit(Duration.ofSeconds(1))
			.priority(3)
			.countdown(Duration.ofSeconds(1))
			.ignoreResult(true)
			.parent("parent", "root");
		assertThat(options.timeLimit()).isEqualTo(Duration.ofSeconds(2));
		assertThat(options.softTimeLimit()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void rejectsAZeroOrNegativeTimeLimitNamingTheOption() {
		assertThatIllegalArgumentException().isThrownBy(() -> SendOptions.defaults().timeLimit(Duration.ZERO))
			.withMessageContaining("timeLimit")
			.withMessageContaining("positive")
			.withMessageContaining("PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SendOptions.defaults().softTimeLimit(Duration.ofSeconds(-1)))
			.withMessageContaining("softTimeLimit")
			.withMessageContaining("positive")
			.withMessageContaining("PT-1S");
	}

	private JsonNode sentHeaders(SendOptions options) {
		this.client.send("tasks.add", List.of(2, 3), Map.of(), options);
		try {
			List<Delivery> deliveries = this.broker.fetch(List.of(this.queue), 1, Duration.ofSeconds(5));
			assertThat(deliveries).hasSize(1);
			return headers(deliveries.get(0).envelope());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static JsonNode headers(String envelope) {
		return Json.mapper().readTree(envelope).get("headers");
	}

	private static String vector(String name) {
		try (InputStream in = SendOptionsTimeLimitTests.class.getClassLoader()
			.getResourceAsStream("celery-wire/vectors/" + name)) {
			assertThat(in).as("vector %s on the test classpath", name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
