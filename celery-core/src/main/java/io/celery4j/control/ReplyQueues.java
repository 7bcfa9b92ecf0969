package io.celery4j.control;

import java.time.Duration;

import io.celery4j.broker.Broker;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.broker.redis.RedisBroker;
import org.jspecify.annotations.Nullable;

/**
 * The reply side of remote control: each client has a queue
 * {@code <oid>.reply.celery.pidbox} bound to the {@code reply.celery.pidbox} exchange
 * with routing key {@code <oid>}; workers push their replies to the queues bound with the
 * request's routing key (PROTOCOL.md 7.3).
 */
interface ReplyQueues {

	/**
	 * Create the reply queue of a client and bind it.
	 * @param oid the client's routing key
	 */
	void bind(String oid);

	/**
	 * Unbind and delete a client's reply queue.
	 * @param oid the client's routing key
	 */
	void unbind(String oid);

	/**
	 * Push a reply to every queue bound with a routing key; dropped when the client is
	 * gone.
	 * @param routingKey the request's {@code reply_to.routing_key}
	 * @param envelope the reply envelope JSON text
	 */
	void push(String routingKey, String envelope);

	/**
	 * Take the next reply from a client's queue, waiting up to the timeout (Redis rounds
	 * the wait up to whole seconds, as kombu does).
	 * @param oid the client's routing key
	 * @param timeout the most to wait
	 * @return the reply envelope, {@code null} when none came
	 * @throws InterruptedException if interrupted while waiting
	 */
	@Nullable String pop(String oid, Duration timeout) throws InterruptedException;

	static ReplyQueues of(Broker broker) {
		if (broker instanceof RedisBroker redis) {
			return new RedisReplyQueues(redis.getConnectionFactory());
		}
		if (broker instanceof MemoryBroker memory) {
			return MemoryReplyQueues.of(memory);
		}
		throw new IllegalArgumentException("Broker " + broker.maskedUrl() + " (" + broker.getClass().getName()
				+ ") has no remote control; it needs a redis:// or memory:// broker");
	}

	static String queueName(String oid) {
		return oid + "." + ControlRequest.REPLY_EXCHANGE;
	}

}
