package io.celery4j.broker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The order in which a consumer serves its queues, rotated for fairness: the queue that
 * delivered last moves to the end. Counterpart of kombu's
 * {@code kombu.utils.scheduling.round_robin_cycle}, the Redis transport's default
 * {@code queue_order_strategy}. Thread-safe.
 */
public final class QueueCycle {

	private List<String> order = new ArrayList<>();

	/**
	 * Return the current order of the given queues. When the set of queues differs from
	 * the last call, the cycle restarts in the given order (duplicates dropped).
	 * @param queues the queues being consumed
	 * @return a copy of the order to serve them in
	 */
	public synchronized List<String> order(List<String> queues) {
		Set<String> requested = new LinkedHashSet<>(queues);
		if (requested.size() != this.order.size() || !requested.containsAll(this.order)) {
			this.order = new ArrayList<>(requested);
		}
		return List.copyOf(this.order);
	}

	/**
	 * Move a queue to the end of the cycle after it delivered.
	 * @param queue the queue that delivered last
	 */
	public synchronized void rotate(String queue) {
		if (this.order.remove(queue)) {
			this.order.add(queue);
		}
	}

}
