package io.celery4j.events;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.celery4j.broker.memory.MemoryBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process bus of a {@code memory://} broker: every subscriber of the same broker
 * instance receives what is published, on the publisher's thread, with kombu's topic
 * matching of binding keys ({@code #}, {@code *}).
 */
final class MemoryFanout implements Fanout {

	private static final Logger logger = LoggerFactory.getLogger(MemoryFanout.class);

	private static final Map<MemoryBroker, MemoryFanout> BUSES = new WeakHashMap<>();

	private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

	static MemoryFanout of(MemoryBroker broker) {
		synchronized (BUSES) {
			return BUSES.computeIfAbsent(broker, (key) -> new MemoryFanout());
		}
	}

	@Override
	public void publish(String exchange, String routingKey, String envelope) {
		for (Listener listener : this.listeners) {
			if (listener.exchange().equals(exchange) && listener.matches(routingKey)) {
				try {
					listener.consumer().accept(envelope);
				}
				catch (RuntimeException ex) {
					logger.warn("Message on {} could not be handled: {}", exchange, ex.getMessage());
				}
			}
		}
	}

	@Override
	public Subscription subscribe(String exchange, String bindingKey, String queue, Consumer<String> consumer) {
		Listener listener = new Listener(exchange, toPattern(bindingKey), consumer);
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	private static Pattern toPattern(String bindingKey) {
		StringBuilder regex = new StringBuilder();
		for (String word : bindingKey.split("\\.", -1)) {
			if (!regex.isEmpty()) {
				regex.append("\\.");
			}
			regex.append(switch (word) {
				case "#" -> ".*";
				case "*" -> "[^.]*";
				default -> Pattern.quote(word);
			});
		}
		return Pattern.compile(bindingKey.isEmpty() ? ".*" : regex.toString());
	}

	private record Listener(String exchange, Pattern pattern, Consumer<String> consumer) {

		boolean matches(String routingKey) {
			return this.pattern.matcher(routingKey).matches();
		}

	}

}
