package io.celery4j.events;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Sends Celery events on the {@code celeryev} exchange as Celery's dispatcher does: every
 * event carries {@code hostname}, {@code utcoffset}, {@code pid} and {@code clock}, then
 * its own fields, then {@code timestamp} and {@code type} (PROTOCOL.md 6.2). Counterpart
 * of {@code celery.events.dispatcher.EventDispatcher}.
 * <p>
 * {@link #send} publishes one event on the routing key of its type
 * ({@code worker-heartbeat} on {@code worker.heartbeat}); {@link #sendTaskEvent}
 * publishes a task event the way a Celery worker does, as a one-element list on
 * {@code task.multi}. Events are best effort: when the broker does not answer the event
 * is dropped and logged once until sending works again.
 *
 * <pre class="code">
 * EventDispatcher events = new EventDispatcher(Fanout.of(broker), "celery@host", new LamportClock());
 * events.send("worker-online", Map.of("freq", 2.0));
 * </pre>
 */
public final class EventDispatcher {

	/** The exchange events are published to. */
	public static final String EXCHANGE = "celeryev";

	private static final Logger logger = LoggerFactory.getLogger(EventDispatcher.class);

	private final Fanout fanout;

	private final String hostname;

	private final LamportClock clock;

	private final long pid = ProcessHandle.current().pid();

	private volatile boolean failing;

	/**
	 * Create a dispatcher.
	 * @param fanout where events go
	 * @param hostname the sender's node name ({@code celery@host} for a worker,
	 * {@code gen<pid>@host} for a client)
	 * @param clock the sender's Lamport clock, shared with its remote control
	 */
	public EventDispatcher(Fanout fanout, String hostname, LamportClock clock) {
		Assert.notNull(fanout, "'fanout' must not be null");
		Assert.hasText(hostname, "'hostname' must not be empty");
		Assert.notNull(clock, "'clock' must not be null");
		this.fanout = fanout;
		this.hostname = hostname;
		this.clock = clock;
	}

	/**
	 * Send one event on the routing key of its type.
	 * @param type the event type, for example {@code worker-heartbeat}
	 * @param fields the type's fields, in Celery's order
	 */
	public void send(String type, Map<String, ? extends @Nullable Object> fields) {
		publish(routingKey(type), event(type, fields));
	}

	/**
	 * Send a task event as a Celery worker does: a list of one event on
	 * {@code task.multi}.
	 * @param type the event type, for example {@code task-succeeded}
	 * @param fields the type's fields, in Celery's order
	 */
	public void sendTaskEvent(String type, Map<String, ? extends @Nullable Object> fields) {
		publish("task.multi", List.of(event(type, fields)));
	}

	/**
	 * Build an event with Celery's common fields around the type's fields.
	 * @param type the event type
	 * @param fields the type's fields
	 * @return the event, fields in wire order
	 */
	public Map<String, @Nullable Object> event(String type, Map<String, ? extends @Nullable Object> fields) {
		Map<String, @Nullable Object> event = new LinkedHashMap<>();
		event.put("hostname", this.hostname);
		event.put("utcoffset", utcoffset());
		event.put("pid", this.pid);
		event.put("clock", this.clock.forward());
		event.putAll(fields);
		event.put("timestamp", epochSeconds(Instant.now()));
		event.put("type", type);
		return event;
	}

	/**
	 * Return the sender's node name.
	 * @return the hostname field of every event sent
	 */
	public String getHostname() {
		return this.hostname;
	}

	private void publish(String routingKey, Object body) {
		FanoutMessage message = new FanoutMessage(Map.of("hostname", this.hostname), 1, EXCHANGE, routingKey, body);
		try {
			this.fanout.publish(EXCHANGE, routingKey, message.encode());
			if (this.failing) {
				this.failing = false;
				logger.info("Events of {} are sent again", this.hostname);
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.warn("Events of {} are dropped while the broker does not answer: {}", this.hostname,
						ex.getMessage());
			}
		}
	}

	/**
	 * Return the routing key of an event type: {@code task-sent} goes on
	 * {@code task.sent}.
	 * @param type the event type
	 * @return the routing key
	 */
	public static String routingKey(String type) {
		return type.replace('-', '.');
	}

	/**
	 * Return Celery's {@code utcoffset}: hours west of UTC of this JVM's zone now
	 * (Python's {@code time.timezone // 3600}).
	 * @return the offset in hours, 0 for UTC, -1 for CET
	 */
	public static int utcoffset() {
		int seconds = ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds();
		return Math.floorDiv(-seconds, 3600);
	}

	/**
	 * Return an instant as Celery's float timestamps: epoch seconds with a fraction.
	 * @param instant the instant
	 * @return the epoch seconds
	 */
	public static double epochSeconds(Instant instant) {
		return instant.getEpochSecond() + instant.getNano() / 1e9;
	}

}
