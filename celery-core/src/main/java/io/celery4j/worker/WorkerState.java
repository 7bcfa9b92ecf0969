package io.celery4j.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a worker holds and has done: reserved, scheduled (eta) and active requests, and
 * counts of tasks run per name. Counterpart of Celery's {@code celery.worker.state}; read
 * by remote control, the actuator endpoint and metrics.
 */
public final class WorkerState {

	private final Map<String, TaskRequest> reserved = new ConcurrentHashMap<>();

	private final Map<String, TaskRequest> scheduled = new ConcurrentHashMap<>();

	private final Map<String, TaskRequest> active = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();

	private final AtomicLong processed = new AtomicLong();

	private final Instant startedAt = Instant.now();

	void reserve(TaskRequest request) {
		this.reserved.put(request.getDelivery().deliveryTag(), request);
	}

	void schedule(TaskRequest request) {
		this.scheduled.put(request.getDelivery().deliveryTag(), request);
	}

	boolean unschedule(TaskRequest request) {
		return this.scheduled.remove(request.getDelivery().deliveryTag()) != null;
	}

	void start(TaskRequest request) {
		this.reserved.remove(request.getDelivery().deliveryTag());
		this.active.put(request.getDelivery().deliveryTag(), request);
		this.totals.computeIfAbsent(request.getName(), (name) -> new LongAdder()).increment();
		this.processed.incrementAndGet();
	}

	void finish(TaskRequest request) {
		this.active.remove(request.getDelivery().deliveryTag());
	}

	void release(TaskRequest request) {
		this.reserved.remove(request.getDelivery().deliveryTag());
		this.scheduled.remove(request.getDelivery().deliveryTag());
	}

	/**
	 * Return the requests held now with a task id: running, waiting for a pool slot or
	 * for their eta.
	 * @param taskId the task id
	 * @return the requests, running ones first
	 */
	public List<TaskRequest> find(String taskId) {
		List<TaskRequest> found = new ArrayList<>();
		for (Map<String, TaskRequest> requests : List.of(this.active, this.reserved, this.scheduled)) {
			requests.values().stream().filter((request) -> request.getId().equals(taskId)).forEach(found::add);
		}
		return found;
	}

	/**
	 * Return the requests running now.
	 * @return a snapshot of the active requests
	 */
	public List<TaskRequest> getActive() {
		return new ArrayList<>(this.active.values());
	}

	/**
	 * Return the requests received and waiting for a pool slot.
	 * @return a snapshot of the reserved requests
	 */
	public List<TaskRequest> getReserved() {
		return new ArrayList<>(this.reserved.values());
	}

	/**
	 * Return the requests held until their eta.
	 * @return a snapshot of the scheduled requests
	 */
	public List<TaskRequest> getScheduled() {
		return new ArrayList<>(this.scheduled.values());
	}

	/**
	 * Return how many tasks of each name were started since the worker started (the
	 * {@code total} of Celery's {@code stats}).
	 * @return counts by task name, sorted by name
	 */
	public Map<String, Long> getTotals() {
		Map<String, Long> totals = new TreeMap<>();
		this.totals.forEach((name, count) -> totals.put(name, count.sum()));
		return totals;
	}

	/**
	 * Return how many tasks were started since the worker started.
	 * @return the count
	 */
	public long getProcessed() {
		return this.processed.get();
	}

	/**
	 * Return when this worker state was created.
	 * @return the start time
	 */
	public Instant getStartedAt() {
		return this.startedAt;
	}

}
