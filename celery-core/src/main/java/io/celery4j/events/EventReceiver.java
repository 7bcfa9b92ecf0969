package io.celery4j.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Receives the events of every worker and client on the broker, Java or Python, as
 * {@code celery events} and Flower do: subscribes {@code /<db>.celeryev/*}, accepts
 * single events and the {@code task.multi} lists Python workers send, and hands each
 * event to a handler on the listener thread. Counterpart of
 * {@code celery.events.receiver.EventReceiver}.
 *
 * <pre class="code">
 * try (EventReceiver receiver = EventReceiver.start(Fanout.of(broker), (event) -&gt; {
 * 	if (event.type().equals("worker-heartbeat")) {
 * 		seen.put(event.hostname(), event.timestamp());
 * 	}
 * })) {
 * 	...
 * }
 * </pre>
 */
public final class EventReceiver implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EventReceiver.class);

	private final Fanout.Subscription subscription;

	private EventReceiver(Fanout.Subscription subscription) {
		this.subscription = subscription;
	}

	/**
	 * Start receiving every event ({@code #} binding).
	 * @param fanout the broker's fanout
	 * @param handler receives each event
	 * @return the receiver; close it to stop
	 */
	public static EventReceiver start(Fanout fanout, Consumer<Event> handler) {
		return start(fanout, "#", handler);
	}

	/**
	 * Start receiving the events whose routing key matches a binding key.
	 * @param fanout the broker's fanout
	 * @param bindingKey for example {@code #} (everything), {@code worker.#} or
	 * {@code task.#}; Python workers send their task events on {@code task.multi}
	 * @param handler receives each event
	 * @return the receiver; close it to stop
	 */
	public static EventReceiver start(Fanout fanout, String bindingKey, Consumer<Event> handler) {
		Assert.notNull(fanout, "'fanout' must not be null");
		Assert.notNull(handler, "'handler' must not be null");
		String queue = EventDispatcher.EXCHANGE + "." + UUID.randomUUID();
		return new EventReceiver(fanout.subscribe(EventDispatcher.EXCHANGE, bindingKey, queue,
				(envelope) -> decode(envelope).forEach(handler)));
	}

	/**
	 * Decode an event envelope: one event, or the list of a {@code task.multi} message.
	 * Malformed events are logged and skipped.
	 * @param envelope the envelope JSON text
	 * @return the events
	 */
	public static List<Event> decode(String envelope) {
		FanoutMessage message;
		try {
			message = FanoutMessage.decode(envelope);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Event skipped: {}", ex.getMessage());
			return List.of();
		}
		Object body = message.body();
		List<?> items = (body instanceof List<?> list) ? list : List.of((body != null) ? body : Map.of());
		List<Event> events = new ArrayList<>();
		for (Object item : items) {
			Event event = toEvent(item);
			if (event != null) {
				events.add(event);
			}
		}
		return events;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Event toEvent(@Nullable Object item) {
		if (!(item instanceof Map<?, ?> map) || !(map.get("type") instanceof String type)) {
			logger.warn("Event skipped: expected an object with a 'type', got {}", item);
			return null;
		}
		Object hostname = map.get("hostname");
		return new Event(type, (hostname != null) ? hostname.toString() : "", (Map<String, @Nullable Object>) map);
	}

	/**
	 * Stop receiving and remove the binding.
	 */
	@Override
	public void close() {
		this.subscription.close();
	}

}
