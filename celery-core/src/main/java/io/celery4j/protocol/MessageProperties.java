package io.celery4j.protocol;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The kombu {@code properties} of a message envelope (PROTOCOL.md 1.1).
 *
 * @param correlationId the task id for task messages
 * @param replyTo id of the sending process, {@code ""} when none
 * @param deliveryMode {@code 2} for tasks, {@code 1} for events and replies
 * @param exchange {@code delivery_info.exchange}, usually {@code ""}
 * @param routingKey {@code delivery_info.routing_key}, the queue name for tasks
 * @param priority 0 to 9
 * @param deliveryTag unique per publish, chosen by the producer
 * @param extra properties not listed above (for example {@code origin},
 * {@code redelivered}), kept as read
 */
public record MessageProperties(@Nullable String correlationId, @Nullable String replyTo, int deliveryMode,
		String exchange, String routingKey, int priority, String deliveryTag, Map<String, @Nullable Object> extra) {

}
