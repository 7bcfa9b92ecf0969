package io.celery4j.worker;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.client.AsyncResult;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message that cannot run is logged once (WARN, no stack trace), rejected (acknowledged
 * without requeue, as kombu), and the worker goes on with the next message.
 */
@TestInstance(Lifecycle.PER_CLASS)
class PoisonMessageTests {

	private final TestWorker harness = TestWorker.onMemory().task("tasks.add", (context) -> {
		List<@Nullable Object> args = context.getArgs();
		return ((Number) args.get(0)).intValue() + ((Number) args.get(1)).intValue();
	});

	/** One worker for the class: each test waits for its own messages and log line. */
	private final WorkerContainer worker = this.harness.start(1);

	private LogCapture log;

	@BeforeEach
	void captureLog() {
		this.log = LogCapture.of(Level.WARN, TaskConsumer.class, Qos.class, TaskTracer.class);
	}

	@AfterEach
	void releaseLog() {
		this.log.close();
	}

	@AfterAll
	void close() {
		this.harness.close();
	}

	@Test
	void rejectsAnEnvelopeThatIsNotJson() {
		this.harness.publishRaw("{\"body\": \"W1tdLCB7fSwge31d\", \"headers\": {\"task\": ");
		ILoggingEvent warning = rejectedAndNextRuns();
		assertThat(warning.getFormattedMessage()).startsWith("Rejected message without id: envelope is not valid JSON")
			.contains("queue '" + this.harness.queue + "'");
	}

	@Test
	void rejectsPickleWithoutDecodingIt() {
		String id = UUID.randomUUID().toString();
		// Not even valid base64: decoding the body would fail differently.
		this.harness.publishRaw(envelope(id, (envelope) -> {
			envelope.put("content-type", "application/x-python-serialize");
			envelope.put("content-encoding", "binary");
			envelope.put("body", "gASV!!not-base64!!");
		}));
		ILoggingEvent warning = rejectedAndNextRuns();
		assertThat(warning.getFormattedMessage()).startsWith("Rejected message " + id
				+ ": content type 'application/x-python-serialize' is not accepted; only application/json is.");
		assertThat(this.harness.client.result(id).state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void rejectsABodyThatIsNotAList() {
		String id = UUID.randomUUID().toString();
		this.harness.publishRaw(envelope(id, (envelope) -> envelope.put("body", base64("{\"x\": 1}"))));
		ILoggingEvent warning = rejectedAndNextRuns();
		assertThat(warning.getFormattedMessage()).startsWith("Rejected message " + id + ": body must be a JSON array");
	}

	@Test
	void rejectsABodyWithoutItsThreeParts() {
		String id = UUID.randomUUID().toString();
		this.harness.publishRaw(envelope(id, (envelope) -> envelope.put("body", base64("[[1, 2], {}]"))));
		ILoggingEvent warning = rejectedAndNextRuns();
		assertThat(warning.getFormattedMessage())
			.startsWith("Rejected message " + id + ": body must be [args, kwargs, embed], got 2 element(s).");
	}

	@Test
	void rejectsAMessageWithoutTaskHeader() {
		String id = UUID.randomUUID().toString();
		this.harness.publishRaw(envelope(id, (envelope) -> headers(envelope).remove("task")));
		ILoggingEvent warning = rejectedAndNextRuns();
		assertThat(warning.getFormattedMessage()).startsWith("Rejected message " + id + ": no 'task' header")
			.contains("protocol v1 is not supported");
	}

	@Test
	void storesNotRegisteredForAnUnknownTaskAsCeleryDoes() {
		String id = UUID.randomUUID().toString();
		this.harness.publishRaw(envelope(id, (envelope) -> headers(envelope).put("task", "tasks.nope")));
		ILoggingEvent warning = rejectedAndNextRuns();
		assertThat(warning.getFormattedMessage())
			.isEqualTo("Received unregistered task of type 'tasks.nope' (message " + id + "); rejected");
		TaskMeta meta = this.harness.client.result(id).info();
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		assertThat(meta.exception())
			.isEqualTo(new ExceptionInfo("NotRegistered", List.of("tasks.nope"), "celery.exceptions"));
		assertThat(meta.traceback()).isNull();
	}

	@Test
	void rejectsAnUnreadableEta() {
		String id = UUID.randomUUID().toString();
		this.harness.publishRaw(envelope(id, (envelope) -> headers(envelope).put("eta", "tomorrow at noon")));
		ILoggingEvent warning = rejectedAndNextRuns();
		assertThat(warning.getFormattedMessage()).startsWith(
				"Rejected message " + id + " of task 'tasks.add': eta 'tomorrow at noon' is not an ISO 8601 date");
		assertThat(this.harness.client.result(id).state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void rejectsAnInvalidExpires() {
		String id = UUID.randomUUID().toString();
		this.harness.publishRaw(envelope(id, (envelope) -> headers(envelope).put("expires", "2026-13-45T10:00:00")));
		ILoggingEvent warning = rejectedAndNextRuns();
		assertThat(warning.getFormattedMessage()).startsWith(
				"Rejected message " + id + " of task 'tasks.add': expires '2026-13-45T10:00:00' is not a valid date");
	}

	@Test
	void keepsWorkingThroughAStreamOfPoisonMessages() {
		for (int i = 0; i < 20; i++) {
			this.harness.publishRaw((i % 2 == 0) ? "not json " + i : envelope(UUID.randomUUID().toString(),
					(envelope) -> headers(envelope).put("task", "tasks.nope")));
		}
		List<AsyncResult> results = List.of(this.harness.send("tasks.add", 1, 1), this.harness.send("tasks.add", 2, 2));
		assertThat(results.get(0).get(TestWorker.TIMEOUT)).isEqualTo(2);
		assertThat(results.get(1).get(TestWorker.TIMEOUT)).isEqualTo(4);
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> assertThat(this.log.messages(Level.WARN)).hasSize(20));
		assertNothingHeld();
	}

	/**
	 * Send a good message after the poison one, wait for its result, and check that the
	 * poison one was logged exactly once, without stack trace, and is gone.
	 */
	private ILoggingEvent rejectedAndNextRuns() {
		AsyncResult next = this.harness.send("tasks.add", 2, 3);
		assertThat(next.get(TestWorker.TIMEOUT)).isEqualTo(5);
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> assertThat(this.log.events()).hasSize(1));
		ILoggingEvent warning = this.log.events().get(0);
		assertThat(warning.getLevel()).isEqualTo(Level.WARN);
		assertThat(warning.getThrowableProxy()).isNull();
		assertNothingHeld();
		assertThat(this.worker.isRunning()).isTrue();
		return warning;
	}

	private void assertNothingHeld() {
		await().atMost(TestWorker.TIMEOUT).untilAsserted(() -> {
			assertThat(this.harness.queueLength()).isZero();
			assertThat(((MemoryBroker) this.harness.broker).unackedCount()).isZero();
			assertThat(this.worker.getPrefetched()).isZero();
		});
	}

	private String envelope(String id, Consumer<Map<String, Object>> tamper) {
		TaskMessage message = TaskMessage.builder("tasks.add")
			.id(id)
			.args(List.of(1, 2))
			.queue(this.harness.queue)
			.timezone(ZoneOffset.UTC)
			.build();
		@SuppressWarnings("unchecked")
		Map<String, Object> envelope = (Map<String, Object>) Json.read(new TaskMessageCodec().encode(message));
		tamper.accept(envelope);
		return Json.write(envelope);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> headers(Map<String, Object> envelope) {
		return (Map<String, Object>) envelope.get("headers");
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
