package io.celery4j.broker;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One message fetched from a queue and not yet acknowledged. Counterpart of kombu's
 * {@code Message} as the Redis transport sees it: the delivery tag is the key under which
 * the message sits in {@code unacked} until {@link Broker#ack(Delivery)}.
 * <p>
 * A value of the five fields below. A transport that parsed the envelope to find the
 * delivery tag may also hand its parse on ({@link #takeParsedEnvelope()}), so that the
 * worker does not parse the same text again; the parse is no part of equality.
 */
public final class Delivery {

	private final String queue;

	private final String deliveryTag;

	private final String exchange;

	private final String routingKey;

	private final String envelope;

	private volatile @Nullable Map<String, @Nullable Object> parsedEnvelope;

	/**
	 * Create a delivery.
	 * @param queue the queue the message was fetched from (base name, no priority suffix)
	 * @param deliveryTag the producer-chosen tag ({@code properties.delivery_tag})
	 * @param exchange the exchange it was published to ({@code ""} for Celery tasks)
	 * @param routingKey the routing key it was published with
	 * @param envelope the message envelope as JSON text, as stored in the queue
	 */
	public Delivery(String queue, String deliveryTag, String exchange, String routingKey, String envelope) {
		this(queue, deliveryTag, exchange, routingKey, envelope, null);
	}

	/**
	 * Create a delivery with the envelope already parsed.
	 * @param queue the queue the message was fetched from (base name, no priority suffix)
	 * @param deliveryTag the producer-chosen tag ({@code properties.delivery_tag})
	 * @param exchange the exchange it was published to ({@code ""} for Celery tasks)
	 * @param routingKey the routing key it was published with
	 * @param envelope the message envelope as JSON text, as stored in the queue
	 * @param parsedEnvelope the envelope text parsed into plain JSON values (as
	 * {@code Json.read} returns them), or {@code null}
	 */
	public Delivery(String queue, String deliveryTag, String exchange, String routingKey, String envelope,
			@Nullable Map<String, @Nullable Object> parsedEnvelope) {
		this.queue = queue;
		this.deliveryTag = deliveryTag;
		this.exchange = exchange;
		this.routingKey = routingKey;
		this.envelope = envelope;
		this.parsedEnvelope = parsedEnvelope;
	}

	/**
	 * Return the queue the message was fetched from.
	 * @return the base name, no priority suffix
	 */
	public String queue() {
		return this.queue;
	}

	/**
	 * Return the producer-chosen tag ({@code properties.delivery_tag}).
	 * @return the delivery tag
	 */
	public String deliveryTag() {
		return this.deliveryTag;
	}

	/**
	 * Return the exchange the message was published to.
	 * @return the exchange, {@code ""} for Celery tasks
	 */
	public String exchange() {
		return this.exchange;
	}

	/**
	 * Return the routing key the message was published with.
	 * @return the routing key
	 */
	public String routingKey() {
		return this.routingKey;
	}

	/**
	 * Return the message envelope as JSON text, as stored in the queue.
	 * @return the envelope
	 */
	public String envelope() {
		return this.envelope;
	}

	/**
	 * Return the transport's parse of the envelope, once: later calls return
	 * {@code null}, so that a delivery waiting for its ack does not keep the tree.
	 * @return the envelope as plain JSON values, or {@code null} when the transport did
	 * not keep it or it was taken already
	 */
	public @Nullable Map<String, @Nullable Object> takeParsedEnvelope() {
		Map<String, @Nullable Object> parsed = this.parsedEnvelope;
		this.parsedEnvelope = null;
		return parsed;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof Delivery that && Objects.equals(this.queue, that.queue)
				&& Objects.equals(this.deliveryTag, that.deliveryTag) && Objects.equals(this.exchange, that.exchange)
				&& Objects.equals(this.routingKey, that.routingKey) && Objects.equals(this.envelope, that.envelope);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.queue, this.deliveryTag, this.exchange, this.routingKey, this.envelope);
	}

	@Override
	public String toString() {
		return "Delivery[queue=" + this.queue + ", deliveryTag=" + this.deliveryTag + ", exchange=" + this.exchange
				+ ", routingKey=" + this.routingKey + ", envelope=" + this.envelope + "]";
	}

}
