package io.celery4j.worker;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.celery4j.broker.Broker;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.protocol.MessageProperties;
import io.celery4j.protocol.TaskHeaders;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.RetryException;
import org.jspecify.annotations.Nullable;

/**
 * Sends the message of a retried task, as Celery's {@code Task.retry} does (PROTOCOL.md
 * 5): same id, retry count plus one, eta from the countdown, same queue, priority,
 * expiry, time limits, group and canvas; the task's own id as parent.
 */
final class TaskRetries {

	private final Broker broker;

	private final TaskMessageCodec codec;

	TaskRetries(Broker broker, TaskMessageCodec codec) {
		this.broker = broker;
		this.codec = codec;
	}

	/**
	 * Send the retry of a message.
	 * @param original the message that ran
	 * @param retry what the task asked for
	 * @return the message sent
	 */
	TaskMessage send(TaskMessage original, RetryException retry) {
		TaskMessage message = retryMessage(original, retry, Instant.now());
		String queue = message.properties().routingKey();
		this.broker.declareQueue(queue);
		this.broker.publish(queue, message.properties().priority(), this.codec.encode(message));
		return message;
	}

	static TaskMessage retryMessage(TaskMessage original, RetryException retry, Instant now) {
		TaskHeaders headers = original.headers();
		MessageProperties properties = original.properties();
		Object nesting = properties.extra().get("replaced_task_nesting");
		return TaskMessage.builder(headers.task())
			.id(headers.id())
			.args(retry.getArgs())
			.kwargs(retry.getKwargs())
			.embed(original.embed())
			.queue(properties.routingKey())
			.priority(properties.priority())
			.eta(retry.when(now))
			.expires(instant(headers.expires()))
			.group(headers.group(), headers.groupIndex())
			.retries(retry.getRetries())
			.timeLimit(limit(headers.timeLimit(), 0), limit(headers.timeLimit(), 1))
			.parent(headers.id(), headers.rootId())
			.ignoreResult(headers.ignoreResult())
			.shadow(headers.shadow())
			.replyTo((properties.replyTo() != null) ? properties.replyTo() : "")
			.property("replaced_task_nesting", (nesting != null) ? nesting : 0)
			.property("origin", headers.origin())
			.build();
	}

	private static @Nullable Instant instant(@Nullable String date) {
		return (date != null) ? CeleryDates.parse(date, ZoneOffset.UTC) : null;
	}

	private static @Nullable Number limit(List<@Nullable Number> limits, int index) {
		return (limits.size() > index) ? limits.get(index) : null;
	}

}
