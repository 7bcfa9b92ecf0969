package io.celery4j.boot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The queues this application knows by configuration, the ones metrics, the actuator
 * endpoint and the HTTP API report lengths for: the local worker's queues, the default
 * queue and every route's queue.
 */
public final class MonitoredQueues {

	private MonitoredQueues() {
	}

	/**
	 * Return the queue names, each once, in the order worker queues, default queue,
	 * routes.
	 * @param properties the properties
	 * @return the queue names
	 */
	public static List<String> of(CeleryProperties properties) {
		Set<String> names = new LinkedHashSet<>();
		if (properties.getWorker().isEnabled()) {
			names.addAll(properties.getWorker().getQueues());
		}
		names.add(properties.getTask().getDefaultQueue());
		names.addAll(properties.getTask().getRoutes().values());
		return new ArrayList<>(names);
	}

}
