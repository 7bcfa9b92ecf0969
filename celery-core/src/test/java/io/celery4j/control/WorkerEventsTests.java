package io.celery4j.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.events.Event;
import io.celery4j.events.EventReceiver;
import io.celery4j.events.Fanout;
import io.celery4j.worker.WorkerContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The events a Java worker sends, received with the event receiver on {@code memory://}.
 */
class WorkerEventsTests {

	private final ControlHarness harness = ControlHarness.onMemory();

	private final Queue<Event> events = new ConcurrentLinkedQueue<>();

	private final EventReceiver receiver = EventReceiver.start(Fanout.of(this.harness.broker), this.events::add);

	@AfterEach
	void close() {
		this.receiver.close();
		this.harness.close();
	}

	@Test
	void sendsOnlineHeartbeatsAndOfflineWithCeleryFields() {
		WorkerContainer worker = this.harness.task("tasks.add", (context) -> 5)
			.start(this.harness.options(1).withHeartbeatInterval(Duration.ofMillis(200)), false);
		await().atMost(ControlHarness.TIMEOUT).until(() -> types().contains("worker-heartbeat"));
		worker.stop();
		assertThat(types()).startsWith("worker-online").endsWith("worker-offline");
		Event heartbeat = this.events.stream().filter((e) -> e.type().equals("worker-heartbeat")).findFirst().get();
		assertThat(heartbeat.fields().keySet()).containsExactly("hostname", "utcoffset", "pid", "clock", "freq",
				"active", "processed", "loadavg", "sw_ident", "sw_ver", "sw_sys", "timestamp", "type");
		assertThat(heartbeat.hostname()).isEqualTo(this.harness.nodeName);
		assertThat(heartbeat.get("freq")).isEqualTo(0.2);
		assertThat((List<?>) heartbeat.get("loadavg")).hasSize(3);
	}

	@Test
	void sendsNoTaskEventsUnlessEnabled() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		this.harness.client.send("tasks.add", 2, 3).get(ControlHarness.TIMEOUT);
		assertThat(types()).noneMatch((type) -> type.startsWith("task-"));
	}

	@Test
	void sendsReceivedStartedAndSucceededWithCeleryFields() {
		this.harness.task("tasks.add", (context) -> 5).start(this.harness.options(1).withSendTaskEvents(true), false);
		AsyncResult result = this.harness.client.send("tasks.add", 2, 3);
		result.get(ControlHarness.TIMEOUT);
		await().atMost(ControlHarness.TIMEOUT).until(() -> types().contains("task-succeeded"));
		assertThat(taskEvents(result.getId())).extracting(Event::type)
			.containsExactly("task-received", "task-started", "task-succeeded");
		Event received = taskEvents(result.getId()).get(0);
		assertThat(received.fields().keySet()).containsExactly("hostname", "utcoffset", "pid", "clock", "uuid", "name",
				"args", "kwargs", "root_id", "parent_id", "retries", "eta", "expires", "timestamp", "type");
		assertThat(received.get("args")).isEqualTo("(2, 3)");
		assertThat(received.get("kwargs")).isEqualTo("{}");
		Event succeeded = taskEvents(result.getId()).get(2);
		assertThat(succeeded.get("result")).isEqualTo("5");
		assertThat(succeeded.get("runtime")).isInstanceOf(Double.class);
	}

	@Test
	void sendsFailedWithExceptionReprAndTraceback() {
		this.harness.task("tasks.fail", (context) -> {
			throw new IllegalArgumentException("boom: bad value");
		}).start(this.harness.options(1).withSendTaskEvents(true), false);
		AsyncResult result = this.harness.client.send("tasks.fail");
		await().atMost(ControlHarness.TIMEOUT).until(() -> types().contains("task-failed"));
		Event failed = taskEvents(result.getId()).get(2);
		assertThat(failed.type()).isEqualTo("task-failed");
		assertThat((String) failed.get("exception")).contains("boom: bad value");
		assertThat((String) failed.get("traceback")).isNotEmpty();
	}

	@Test
	void sendsRevokedForAnExpiredTask() {
		this.harness.task("tasks.add", (context) -> 5).start(this.harness.options(1).withSendTaskEvents(true), false);
		AsyncResult result = this.harness.client.send("tasks.add", List.of(1, 1), Map.of(),
				SendOptions.defaults().countdown(Duration.ofMillis(500)).expires(Duration.ofMillis(100)));
		await().atMost(ControlHarness.TIMEOUT).until(() -> types().contains("task-revoked"));
		// Received while not yet expired, expired when its countdown came due
		// (vectors/event-task-revoked-expired.json).
		assertThat(taskEvents(result.getId())).extracting(Event::type).containsExactly("task-received", "task-revoked");
		Event revoked = taskEvents(result.getId()).get(1);
		assertThat(revoked.fields()).containsEntry("terminated", false)
			.containsEntry("signum", null)
			.containsEntry("expired", true);
	}

	@Test
	void sendsOnlyRevokedForATaskThatArrivesExpired() {
		this.harness.task("tasks.add", (context) -> 5).start(this.harness.options(1).withSendTaskEvents(true), false);
		AsyncResult result = this.harness.client.send("tasks.add", List.of(1, 1), Map.of(),
				SendOptions.defaults().expires(Instant.now().minusSeconds(5)));
		await().atMost(ControlHarness.TIMEOUT).until(() -> types().contains("task-revoked"));
		AsyncResult after = this.harness.client.send("tasks.add", 2, 3);
		after.get(ControlHarness.TIMEOUT);
		await().atMost(ControlHarness.TIMEOUT).until(() -> taskEvents(after.getId()).size() == 3);
		// As Celery 5's strategy: the revoked check comes before task-received.
		assertThat(taskEvents(result.getId())).extracting(Event::type).containsExactly("task-revoked");
		assertThat(taskEvents(result.getId()).get(0).fields()).containsEntry("expired", true);
	}

	@Test
	void sendsOnlyRevokedForATaskThatArrivesRevoked() {
		WorkerContainer worker = this.harness.task("tasks.add", (context) -> 5)
			.start(this.harness.options(1).withSendTaskEvents(true), false);
		String taskId = UUID.randomUUID().toString();
		worker.revoke(List.of(taskId), false, 0);
		this.harness.client.send("tasks.add", List.of(1, 1), Map.of(), SendOptions.defaults().taskId(taskId));
		await().atMost(ControlHarness.TIMEOUT).until(() -> types().contains("task-revoked"));
		AsyncResult after = this.harness.client.send("tasks.add", 2, 3);
		after.get(ControlHarness.TIMEOUT);
		await().atMost(ControlHarness.TIMEOUT).until(() -> taskEvents(after.getId()).size() == 3);
		assertThat(taskEvents(taskId)).extracting(Event::type).containsExactly("task-revoked");
		assertThat(taskEvents(taskId).get(0).fields()).containsEntry("expired", false)
			.containsEntry("terminated", false);
	}

	@Test
	void answersTheHeartbeatCommandWithARequestedHeartbeat() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		new CeleryControl(this.harness.broker).heartbeat();
		await().atMost(ControlHarness.TIMEOUT)
			.until(() -> this.events.stream().anyMatch((e) -> Integer.valueOf(5).equals(e.get("freq"))));
		Event requested = this.events.stream()
			.filter((e) -> Integer.valueOf(5).equals(e.get("freq")))
			.findFirst()
			.get();
		assertThat(requested.fields().keySet()).containsExactly("hostname", "utcoffset", "pid", "clock", "freq",
				"sw_ident", "sw_ver", "sw_sys", "timestamp", "type");
	}

	private List<String> types() {
		return this.events.stream().map(Event::type).toList();
	}

	private List<Event> taskEvents(String taskId) {
		return this.events.stream().filter((event) -> taskId.equals(event.taskId())).toList();
	}

}
