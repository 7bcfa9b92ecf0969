package io.celery4j.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.broker.memory.MemoryBroker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events as Celery writes them, compared with the captures in {@code vectors/event-*}.
 */
class EventWireTests {

	@Test
	void decodesEveryCapturedEvent() {
		for (String name : List.of("event-worker-online.json", "event-worker-heartbeat.json",
				"event-worker-heartbeat-requested.json", "event-worker-offline.json", "event-task-sent.json",
				"event-task-received.json", "event-task-started.json", "event-task-succeeded.json",
				"event-task-failed.json", "event-task-failed-unregistered.json", "event-task-retried.json",
				"event-task-revoked.json", "event-task-revoked-terminated.json", "event-task-revoked-expired.json")) {
			List<Event> events = EventReceiver.decode(Vectors.read(name));
			assertThat(events).as(name).hasSize(1);
			String type = name.replace("event-", "")
				.replaceAll("-(requested|unregistered|terminated|expired)", "")
				.replace(".json", "");
			assertThat(events.get(0).type()).as(name).isEqualTo(type);
			assertThat(events.get(0).hostname()).as(name).isNotEmpty();
			assertThat(events.get(0).clock()).as(name).isPositive();
		}
	}

	@Test
	void decodesEveryEventOfATaskMultiBatch() {
		List<Event> events = EventReceiver.decode(Vectors.read("event-task-multi-batch.json"));
		assertThat(events).extracting(Event::type).containsExactly("task-received", "task-started", "task-started");
		assertThat(events.get(0).get("args")).isEqualTo("(2, 2)");
		assertThat(events.get(0).taskId()).isEqualTo("7acde7bb-b49d-4791-941b-9c8d5444a46a");
	}

	@Test
	void writesAWorkerEventWithCeleryFieldOrderAndEnvelope() {
		FanoutMessage captured = FanoutMessage.decode(Vectors.read("event-worker-heartbeat.json"));
		Map<String, @Nullable Object> capturedEvent = asMap(captured.body());
		List<String> published = new ArrayList<>();
		MemoryFanout fanout = MemoryFanout.of(new MemoryBroker());
		try (Fanout.Subscription subscription = fanout.subscribe("celeryev", "#", "celeryev.test", published::add)) {
			EventDispatcher dispatcher = new EventDispatcher(fanout, "celery@vm", new LamportClock());
			Map<String, @Nullable Object> fields = new LinkedHashMap<>();
			for (String field : List.of("freq", "active", "processed", "loadavg", "sw_ident", "sw_ver", "sw_sys")) {
				fields.put(field, capturedEvent.get(field));
			}
			dispatcher.send("worker-heartbeat", fields);
		}
		assertThat(published).hasSize(1);
		FanoutMessage written = FanoutMessage.decode(published.get(0));
		assertThat(written.headers()).isEqualTo(captured.headers());
		assertThat(written.deliveryMode()).isEqualTo(captured.deliveryMode()).isEqualTo(1);
		assertThat(written.exchange()).isEqualTo("celeryev");
		assertThat(written.routingKey()).isEqualTo("worker.heartbeat");
		Map<String, @Nullable Object> event = asMap(written.body());
		assertThat(event.keySet()).containsExactlyElementsOf(capturedEvent.keySet());
		assertThat(event.get("type")).isEqualTo("worker-heartbeat");
		assertThat(event.get("clock")).isEqualTo(1);
		assertThat(event.get("pid")).isEqualTo((int) ProcessHandle.current().pid());
		assertThat(envelopeKeys(published.get(0))).isEqualTo(envelopeKeys(Vectors.read("event-worker-heartbeat.json")));
	}

	@Test
	void writesTaskEventsAsAListOnTaskMulti() {
		FanoutMessage captured = FanoutMessage.decode(Vectors.read("event-task-succeeded.json"));
		Map<String, @Nullable Object> capturedEvent = asMap(((List<?>) captured.body()).get(0));
		List<String> published = new ArrayList<>();
		MemoryFanout fanout = MemoryFanout.of(new MemoryBroker());
		try (Fanout.Subscription subscription = fanout.subscribe("celeryev", "task.#", "celeryev.test",
				published::add)) {
			EventDispatcher dispatcher = new EventDispatcher(fanout, "celery@vm", new LamportClock());
			dispatcher.sendTaskEvent("task-succeeded", Map.of("uuid", "f756de46-06e3-4fdd-b6d6-1083d3f3d195"));
		}
		FanoutMessage written = FanoutMessage.decode(published.get(0));
		assertThat(written.routingKey()).isEqualTo(captured.routingKey()).isEqualTo("task.multi");
		assertThat(written.body()).isInstanceOf(List.class);
		Map<String, @Nullable Object> event = asMap(((List<?>) written.body()).get(0));
		assertThat(new ArrayList<>(event.keySet()).subList(0, 5))
			.containsExactlyElementsOf(new ArrayList<>(capturedEvent.keySet()).subList(0, 5));
		assertThat(event.get("type")).isEqualTo("task-succeeded");
	}

	@Test
	void routesByTypeAndMatchesBindingKeysLikeKombu() {
		assertThat(EventDispatcher.routingKey("task-sent")).isEqualTo("task.sent");
		assertThat(RedisFanout.channel(0, "celeryev", "worker.heartbeat")).isEqualTo("/0.celeryev/worker.heartbeat");
		assertThat(RedisFanout.channel(3, "celery.pidbox", "")).isEqualTo("/3.celery.pidbox");
		List<String> workerOnly = new ArrayList<>();
		MemoryFanout fanout = MemoryFanout.of(new MemoryBroker());
		try (Fanout.Subscription subscription = fanout.subscribe("celeryev", "worker.#", "q", workerOnly::add)) {
			fanout.publish("celeryev", "worker.heartbeat", "a");
			fanout.publish("celeryev", "task.multi", "b");
			fanout.publish("celery.pidbox", "", "c");
		}
		fanout.publish("celeryev", "worker.offline", "d");
		assertThat(workerOnly).containsExactly("a");
	}

	@Test
	void skipsMalformedEventsWithoutFailing() {
		assertThat(EventReceiver.decode("not json")).isEmpty();
		assertThat(EventReceiver
			.decode(new FanoutMessage(Map.of(), 1, "celeryev", "x", List.of(Map.of("no", "type"))).encode())).isEmpty();
	}

	@Test
	void lamportClockMovesPastWhatItSees() {
		LamportClock clock = new LamportClock();
		assertThat(clock.forward()).isEqualTo(1);
		assertThat(clock.adjust(10)).isEqualTo(11);
		assertThat(clock.adjust(3)).isEqualTo(12);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> asMap(@Nullable Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, @Nullable Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<String> envelopeKeys(String envelope) {
		Map<String, Object> root = (Map<String, Object>) io.celery4j.protocol.Json.read(envelope);
		List<String> keys = new ArrayList<>(root.keySet());
		keys.addAll(((Map<String, Object>) root.get("properties")).keySet());
		return keys;
	}

}
