package io.celery4j.broker;

/**
 * One message fetched from a queue and not yet acknowledged. Counterpart of kombu's
 * {@code Message} as the Redis transport sees it: the delivery tag is the key under which
 * the message sits in {@code unacked} until {@link Broker#ack(Delivery)}.
 *
 * @param queue the queue the message was fetched from (base name, no priority suffix)
 * @param deliveryTag the producer-chosen tag ({@code properties.delivery_tag})
 * @param exchange the exchange it was published to ({@code ""} for Celery tasks)
 * @param routingKey the routing key it was published with
 * @param envelope the message envelope as JSON text, as stored in the queue
 */
public record Delivery(String queue, String deliveryTag, String exchange, String routingKey, String envelope) {

}
