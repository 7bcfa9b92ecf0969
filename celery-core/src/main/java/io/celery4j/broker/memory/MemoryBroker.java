package io.celery4j.broker.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.celery4j.broker.Broker;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.Envelopes;
import io.celery4j.broker.Priorities;
import io.celery4j.broker.QueueCycle;

import org.springframework.util.Assert;

/**
 * An in-process broker for {@code memory://}: the Redis transport's semantics without
 * Redis, for tests and for running on a bare machine. Messages live only as long as the
 * JVM; nothing is shared with other processes.
 * <p>
 * Each queue has one FIFO per kombu priority step and the lower step is served first, as
 * on Redis (PROTOCOL.md 2.2); {@link #fetch} blocks on a condition until a message
 * arrives or the timeout passes and rotates the queues for fairness; fetched messages are
 * tracked as unacknowledged until {@link #ack}, {@link #requeue} or {@link #restore}, and
 * {@link #restoreExpired} gives back those fetched longer ago than a timeout.
 * Thread-safe.
 *
 * <pre class="code">
 * Broker broker = new MemoryBroker();
 * broker.publish("celery", 0, envelope);
 * List&lt;Delivery&gt; deliveries = broker.fetch(List.of("celery"), 4, Duration.ofSeconds(1));
 * </pre>
 */
public final class MemoryBroker implements Broker {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition published = this.lock.newCondition();

	private final Map<String, StepLists> queues = new HashMap<>();

	private final Map<String, Unacked> unacked = new LinkedHashMap<>();

	private final QueueCycle cycle = new QueueCycle();

	private boolean closed;

	/**
	 * Create an empty broker.
	 */
	public MemoryBroker() {
	}

	@Override
	public void declareQueue(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		this.lock.lock();
		try {
			ensureOpen();
			lists(queue);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void publish(String queue, int priority, String envelope) {
		Assert.hasText(queue, "'queue' must not be empty");
		Assert.notNull(envelope, "'envelope' must not be null");
		this.lock.lock();
		try {
			ensureOpen();
			// LPUSH: the far end; fetch takes from the other end, so each step is FIFO.
			lists(queue).step(Priorities.stepIndex(priority)).addFirst(envelope);
			this.published.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public List<Delivery> fetch(List<String> queues, int max, Duration timeout) throws InterruptedException {
		Assert.notEmpty(queues, "'queues' must not be empty");
		Assert.isTrue(max >= 1, () -> "'max' must be at least 1, got " + max);
		Assert.notNull(timeout, "'timeout' must not be null");
		long remaining = nanos(timeout);
		this.lock.lockInterruptibly();
		try {
			ensureOpen();
			while (!this.closed) {
				List<String> order = this.cycle.order(queues);
				List<Delivery> deliveries = take(order, max);
				if (!deliveries.isEmpty()) {
					return deliveries;
				}
				if (remaining <= 0) {
					return List.of();
				}
				remaining = this.published.awaitNanos(remaining);
			}
			return List.of();
		}
		finally {
			this.lock.unlock();
		}
	}

	private List<Delivery> take(List<String> order, int max) {
		List<Delivery> deliveries = new ArrayList<>();
		long now = System.nanoTime();
		for (int step = 0; step < Priorities.stepCount() && deliveries.size() < max; step++) {
			// Round robin inside a step: one message per queue per pass, as consecutive
			// BRPOPs with rotation would give.
			boolean any = true;
			while (any && deliveries.size() < max) {
				any = false;
				for (String queue : order) {
					if (deliveries.size() >= max) {
						break;
					}
					StepLists lists = this.queues.get(queue);
					String envelope = (lists != null) ? lists.step(step).pollLast() : null;
					if (envelope != null) {
						any = true;
						Delivery delivery = Envelopes.parse(queue, envelope).delivery();
						this.unacked.put(delivery.deliveryTag(), new Unacked(delivery, now));
						this.cycle.rotate(queue);
						deliveries.add(delivery);
					}
				}
			}
		}
		return deliveries;
	}

	@Override
	public void ack(Delivery delivery) {
		Assert.notNull(delivery, "'delivery' must not be null");
		this.lock.lock();
		try {
			this.unacked.remove(delivery.deliveryTag());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void requeue(Delivery delivery) {
		Assert.notNull(delivery, "'delivery' must not be null");
		this.lock.lock();
		try {
			ensureOpen();
			Unacked entry = this.unacked.remove(delivery.deliveryTag());
			if (entry != null) {
				// kombu's reject(requeue=True): LPUSH onto the base list, behind
				// everything.
				lists(entry.delivery().queue()).step(0).addFirst(redelivered(entry));
				this.published.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void restore(Collection<Delivery> deliveries) {
		Assert.notNull(deliveries, "'deliveries' must not be null");
		List<Delivery> ordered = new ArrayList<>(deliveries);
		this.lock.lock();
		try {
			ensureOpen();
			// Last first: each goes to the consuming end, so the first given is fetched
			// first again.
			ListIterator<Delivery> iterator = ordered.listIterator(ordered.size());
			while (iterator.hasPrevious()) {
				Unacked entry = this.unacked.remove(iterator.previous().deliveryTag());
				if (entry != null) {
					giveBack(entry);
				}
			}
			this.published.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public int restoreExpired(Duration visibilityTimeout) {
		Assert.notNull(visibilityTimeout, "'visibilityTimeout' must not be null");
		long timeout = nanos(visibilityTimeout);
		this.lock.lock();
		try {
			ensureOpen();
			long now = System.nanoTime();
			List<Unacked> expired = new ArrayList<>();
			Iterator<Unacked> entries = this.unacked.values().iterator();
			while (entries.hasNext()) {
				Unacked entry = entries.next();
				if (now - entry.fetchedAt() >= timeout) {
					expired.add(entry);
					entries.remove();
				}
			}
			// Newest first, as kombu's ZREVRANGEBYSCORE: the oldest ends up next in line.
			for (int i = expired.size() - 1; i >= 0; i--) {
				giveBack(expired.get(i));
			}
			if (!expired.isEmpty()) {
				this.published.signalAll();
			}
			return expired.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void giveBack(Unacked entry) {
		// kombu's restore: RPUSH onto the base list, the consuming end.
		lists(entry.delivery().queue()).step(0).addLast(redelivered(entry));
	}

	private static String redelivered(Unacked entry) {
		return Envelopes.markRedelivered(entry.delivery().envelope());
	}

	@Override
	public long queueLength(String queue) {
		this.lock.lock();
		try {
			StepLists lists = this.queues.get(queue);
			return (lists != null) ? lists.size() : 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how many fetched messages are not acknowledged yet.
	 * @return the number of unacknowledged messages
	 */
	public int unackedCount() {
		this.lock.lock();
		try {
			return this.unacked.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void ping() {
		this.lock.lock();
		try {
			ensureOpen();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String maskedUrl() {
		return "memory://";
	}

	/**
	 * Close the broker: blocked fetches return, later calls fail. Messages still queued
	 * or unacknowledged are discarded with it.
	 */
	@Override
	public void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.published.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new IllegalStateException("Broker memory:// is closed");
		}
	}

	private StepLists lists(String queue) {
		return this.queues.computeIfAbsent(queue, (name) -> new StepLists());
	}

	private static long nanos(Duration duration) {
		if (duration.isNegative()) {
			return 0;
		}
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * One FIFO per priority step; index 0 is the base list.
	 */
	private static final class StepLists {

		private final List<Deque<String>> steps = new ArrayList<>(Priorities.stepCount());

		StepLists() {
			for (int i = 0; i < Priorities.stepCount(); i++) {
				this.steps.add(new ArrayDeque<>());
			}
		}

		Deque<String> step(int index) {
			return this.steps.get(index);
		}

		long size() {
			long size = 0;
			for (Deque<String> step : this.steps) {
				size += step.size();
			}
			return size;
		}

	}

	private record Unacked(Delivery delivery, long fetchedAt) {

	}

}
