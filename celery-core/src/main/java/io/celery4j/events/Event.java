package io.celery4j.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One Celery event as a receiver decodes it: the common fields and every field of the
 * type, in the order they arrived. Counterpart of the dictionaries Celery's
 * {@code EventReceiver} hands to its handlers (PROTOCOL.md 6.2).
 *
 * @param type the event type, for example {@code worker-heartbeat} or
 * {@code task-succeeded}
 * @param hostname the sender's node name ({@code gen<pid>@host} for clients)
 * @param fields every field of the event, including {@code type}, {@code hostname},
 * {@code clock} and {@code timestamp}
 */
public record Event(String type, String hostname, Map<String, @Nullable Object> fields) {

	public Event {
		fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
	}

	/**
	 * Return a field.
	 * @param name the field name, for example {@code uuid}
	 * @return the value or {@code null}
	 */
	public @Nullable Object get(String name) {
		return this.fields.get(name);
	}

	/**
	 * Return the task id of a {@code task-*} event.
	 * @return the {@code uuid} field, or {@code null} for worker events
	 */
	public @Nullable String taskId() {
		Object uuid = this.fields.get("uuid");
		return (uuid != null) ? uuid.toString() : null;
	}

	/**
	 * Return the sender's Lamport clock.
	 * @return the {@code clock} field, 0 when missing
	 */
	public long clock() {
		return (this.fields.get("clock") instanceof Number number) ? number.longValue() : 0;
	}

	/**
	 * Return when the event was sent.
	 * @return the {@code timestamp} field in epoch seconds, 0 when missing
	 */
	public double timestamp() {
		return (this.fields.get("timestamp") instanceof Number number) ? number.doubleValue() : 0;
	}

}
