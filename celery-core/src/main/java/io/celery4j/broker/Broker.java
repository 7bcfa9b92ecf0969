package io.celery4j.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A message transport with Celery's queue semantics. Implementations: Redis (kombu's
 * exact key layout, PROTOCOL.md section 2) and in-process memory.
 * <p>
 * Every fetched message is recorded as unacknowledged until {@link #ack} or
 * {@link #requeue}; {@link #restore} gives back messages a worker fetched but did not
 * start, and {@link #restoreExpired} returns messages of workers that died.
 */
public interface Broker extends AutoCloseable {

	/**
	 * Declare a queue so that it exists for routing (kombu's binding on Redis).
	 * Idempotent and cheap after the first call for a queue.
	 * @param queue the queue name
	 */
	void declareQueue(String queue);

	/**
	 * Publish a task message onto a queue through the nameless exchange.
	 * @param queue the queue (routing key)
	 * @param priority 0 to 9; on Redis mapped onto kombu's priority steps
	 * @param envelope the envelope JSON text
	 */
	void publish(String queue, int priority, String envelope);

	/**
	 * Fetch up to {@code max} messages from the given queues, blocking up to
	 * {@code timeout} while all of them are empty. Queues are served in order of priority
	 * step and rotated for fairness. Each returned message is recorded as unacknowledged:
	 * a transport may send the record without waiting for it, as long as an ack, requeue
	 * or restore of the message cannot overtake it. Implementations may return fewer than
	 * {@code max} messages even when more are waiting, and may round the wait up (Redis
	 * waits in whole seconds, as kombu does).
	 * @param queues the queues to consume from
	 * @param max the most messages to return, at least 1
	 * @param timeout how long to block when nothing is available
	 * @return the fetched messages, empty when the timeout passed
	 * @throws InterruptedException if the calling thread is interrupted while blocked
	 */
	List<Delivery> fetch(List<String> queues, int max, Duration timeout) throws InterruptedException;

	/**
	 * Acknowledge a message: it is removed from the unacknowledged set for good.
	 * @param delivery the delivery
	 */
	void ack(Delivery delivery);

	/**
	 * Reject a message with requeue: it goes to the far end of its queue (behind
	 * everything waiting) and is acknowledged.
	 * @param delivery the delivery
	 */
	void requeue(Delivery delivery);

	/**
	 * Give fetched but unstarted messages back: each is marked redelivered and put at the
	 * consuming end of its queue (the next one fetched), as kombu's restore does at warm
	 * shutdown.
	 * @param deliveries the deliveries to give back
	 */
	void restore(Collection<Delivery> deliveries);

	/**
	 * Give back every unacknowledged message older than the visibility timeout, whoever
	 * fetched it (kombu's {@code restore_visible}, guarded by {@code unacked_mutex}).
	 * @param visibilityTimeout age after which a message counts as lost
	 * @return how many messages were given back
	 */
	int restoreExpired(Duration visibilityTimeout);

	/**
	 * Return the number of messages waiting in a queue, all priorities together.
	 * @param queue the queue
	 * @return the length
	 */
	long queueLength(String queue);

	/**
	 * Check that the broker answers; throws when it does not.
	 */
	void ping();

	/**
	 * Return the broker URL with any password masked, for logs and health details.
	 * @return the masked URL
	 */
	String maskedUrl();

	@Override
	void close();

}
