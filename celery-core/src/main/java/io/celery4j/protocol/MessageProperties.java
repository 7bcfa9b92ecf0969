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
 * @param extra properties not listed above, kept as read and written back in kombu's
 * places: {@code expiration} (kombu's TTL in milliseconds) after {@code delivery_mode},
 * {@code redelivered} inside {@code delivery_info}, any other (for example
 * {@code replaced_task_nesting} and {@code origin} on a retry) after {@code reply_to}
 */
public record MessageProperties(@Nullable String correlationId, @Nullable String replyTo, int deliveryMode,
		String exchange, String routingKey, int priority, String deliveryTag, Map<String, @Nullable Object> extra) {

}
