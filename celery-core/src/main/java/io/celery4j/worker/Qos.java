package io.celery4j.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.broker.Broker;
import io.celery4j.broker.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages a worker holds unacknowledged, and the only place that settles them:
 * acknowledged, given back to the queue, or rejected. Counterpart of kombu's virtual
 * {@code QoS} with Celery's {@code increment_eventually}/{@code decrement_eventually}.
 * <p>
 * Each fetched message counts against the prefetch limit until it is settled; a message
 * held for its eta stops counting (as Celery raises its prefetch count) and counts again
 * when it is due, even above the limit. Settling is once per message: an ack and a give
 * back never both happen, and a prefetch slot is given back exactly once.
 */
final class Qos {

	private static final Logger logger = LoggerFactory.getLogger(Qos.class);

	private static final int MAX_BATCH = 64;

	private final Broker broker;

	private final Permits permits;

	/** Messages fetched, not settled and counting against the limit. */
	private final AtomicInteger held = new AtomicInteger();

	Qos(Broker broker, int prefetchLimit) {
		this.broker = broker;
		// Unlimited (multiplier 0) stays far from overflow when eta requests count
		// again.
		this.permits = new Permits(Math.min(prefetchLimit, Integer.MAX_VALUE / 2));
	}

	/**
	 * Wait for room to fetch and reserve it.
	 * @param timeout the most to wait for the first slot
	 * @return how many messages may be fetched now, 0 if there was no room in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	int reserve(Duration timeout) throws InterruptedException {
		if (!this.permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			return 0;
		}
		int more = Math.max(0, Math.min(this.permits.availablePermits(), MAX_BATCH - 1));
		return 1 + (this.permits.tryAcquire(more) ? more : 0);
	}

	/**
	 * End a fetch: the fetched messages count as held from now on, the reserved room it
	 * did not use is given back.
	 * @param reserved what {@link #reserve} returned
	 * @param fetched how many messages the fetch returned
	 */
	void fetched(int reserved, int fetched) {
		this.held.addAndGet(fetched);
		if (reserved > fetched) {
			this.permits.release(reserved - fetched);
		}
	}

	/**
	 * Acknowledge a request's message, unless it was settled already.
	 * @param request the request
	 */
	void ack(TaskRequest request) {
		if (!request.settle()) {
			return;
		}
		try {
			this.broker.ack(request.getDelivery());
		}
		catch (RuntimeException ex) {
			logger.warn("Task {} could not be acknowledged ({}); it is redelivered after the visibility timeout",
					request, ex.getMessage());
		}
		finally {
			releaseSlot(request);
		}
	}

	/**
	 * Reject a message that never became a request (reject without requeue is an ack in
	 * kombu). The caller has logged why.
	 * @param delivery the delivery
	 */
	void reject(Delivery delivery) {
		try {
			this.broker.ack(delivery);
		}
		catch (RuntimeException ex) {
			logger.warn("Rejected message with delivery tag {} could not be acknowledged ({}); it is redelivered "
					+ "after the visibility timeout", delivery.deliveryTag(), ex.getMessage());
		}
		finally {
			this.held.decrementAndGet();
			this.permits.release();
		}
	}

	/**
	 * Give requests that did not run back to their queues, unless they were settled
	 * already.
	 * @param requests the requests
	 * @return how many were given back by this call
	 */
	int giveBack(Collection<TaskRequest> requests) {
		List<TaskRequest> unsettled = new ArrayList<>();
		for (TaskRequest request : requests) {
			if (request.settle()) {
				unsettled.add(request);
			}
		}
		try {
			restore(unsettled.stream().map(TaskRequest::getDelivery).toList());
		}
		finally {
			unsettled.forEach(this::releaseSlot);
		}
		return unsettled.size();
	}

	/**
	 * Give back messages fetched while the worker was stopping, before they became
	 * requests.
	 * @param deliveries the deliveries
	 */
	void giveBackDeliveries(List<Delivery> deliveries) {
		try {
			restore(deliveries);
		}
		finally {
			this.held.addAndGet(-deliveries.size());
			this.permits.release(deliveries.size());
		}
	}

	private void restore(List<Delivery> deliveries) {
		if (deliveries.isEmpty()) {
			return;
		}
		try {
			this.broker.restore(deliveries);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not give back {} message(s) ({}); they are redelivered after the visibility timeout",
					deliveries.size(), ex.getMessage());
		}
	}

	/**
	 * Stop counting a request held for its eta, so that it does not keep the worker from
	 * fetching work that can run now.
	 * @param request the held request
	 */
	void hold(TaskRequest request) {
		releaseSlot(request);
	}

	/**
	 * Count a held request again now that its eta has come; this may go above the limit
	 * for a while, and the worker fetches no more until it is below again.
	 * @param request the request that is due
	 */
	void due(TaskRequest request) {
		if (request.takePrefetchSlot()) {
			this.held.incrementAndGet();
			this.permits.takeEvenIfNone();
		}
	}

	private void releaseSlot(TaskRequest request) {
		if (request.releasePrefetchSlot()) {
			this.held.decrementAndGet();
			this.permits.release();
		}
	}

	/**
	 * Return how many messages count against the prefetch limit now.
	 * @return the count
	 */
	int getPrefetched() {
		return this.held.get();
	}

	/**
	 * A semaphore that can also take a permit when none is free (the count goes
	 * negative).
	 */
	private static final class Permits extends Semaphore {

		Permits(int permits) {
			super(permits);
		}

		void takeEvenIfNone() {
			reducePermits(1);
		}

	}

}
