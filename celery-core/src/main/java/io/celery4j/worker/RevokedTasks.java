package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.springframework.util.Assert;

/**
 * The ids of revoked tasks a worker remembers: at most 50 000, each for 3 hours, the
 * oldest dropped first. Counterpart of Celery's {@code worker.state.revoked}, a
 * {@code LimitedSet(maxlen=50000, expires=10800)}; filled by the {@code revoke} remote
 * control command and by mingle ({@code hello} replies), saved and loaded by
 * {@link WorkerStateDb}. Thread-safe.
 */
public final class RevokedTasks {

	/** Celery's {@code REVOKES_MAX}. */
	public static final int DEFAULT_MAX_SIZE = 50_000;

	/** Celery's {@code REVOKE_EXPIRES}. */
	public static final Duration DEFAULT_EXPIRY = Duration.ofHours(3);

	private final int maxSize;

	private final long expiryNanos;

	private final LongSupplier nanoTime;

	/** Task id to the monotonic time it was added, oldest first. */
	private final LinkedHashMap<String, Long> ids = new LinkedHashMap<>();

	private long changes;

	/**
	 * Create a set with Celery's limits.
	 */
	public RevokedTasks() {
		this(DEFAULT_MAX_SIZE, DEFAULT_EXPIRY, System::nanoTime);
	}

	RevokedTasks(int maxSize, Duration expiry, LongSupplier nanoTime) {
		Assert.isTrue(maxSize > 0, "'maxSize' must be positive");
		this.maxSize = maxSize;
		this.expiryNanos = expiry.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Remember task ids as revoked; an id added again counts from now.
	 * @param taskIds the ids
	 */
	public synchronized void addAll(Collection<String> taskIds) {
		long now = this.nanoTime.getAsLong();
		for (String id : taskIds) {
			this.ids.remove(id);
			this.ids.put(id, now);
		}
		purge(now);
		this.changes++;
	}

	/**
	 * Return whether a task was revoked and is still remembered.
	 * @param taskId the task id
	 * @return whether it is in the set
	 */
	public synchronized boolean contains(String taskId) {
		purge(this.nanoTime.getAsLong());
		return this.ids.containsKey(taskId);
	}

	/**
	 * Return the remembered ids, oldest first ({@code inspect revoked}).
	 * @return a snapshot of the ids
	 */
	public synchronized List<String> ids() {
		purge(this.nanoTime.getAsLong());
		return new ArrayList<>(this.ids.keySet());
	}

	/**
	 * Return the set as Celery's mingle exchanges it: id to {@code [time, id]}, the time
	 * in seconds of a monotonic clock (PROTOCOL.md 7.4).
	 * @return the entries, oldest first
	 */
	public synchronized Map<String, List<Object>> toMingleData() {
		purge(this.nanoTime.getAsLong());
		Map<String, List<Object>> data = new LinkedHashMap<>();
		this.ids.forEach((id, added) -> data.put(id, List.of(added / 1e9, id)));
		return data;
	}

	/**
	 * Return the remembered ids with the wall-clock time each is forgotten, as the
	 * worker's state db saves them.
	 * @return id to expiry, oldest first
	 */
	public synchronized Map<String, Instant> expiries() {
		long now = this.nanoTime.getAsLong();
		purge(now);
		Instant wallNow = Instant.now();
		Map<String, Instant> expiries = new LinkedHashMap<>();
		this.ids.forEach((id, added) -> expiries.put(id, wallNow.plusNanos(added + this.expiryNanos - now)));
		return expiries;
	}

	/**
	 * Remember ids until the given wall-clock times, as loaded from a state db; ids that
	 * are past their time are skipped, an id known already keeps the later time.
	 * @param expiries id to when it is forgotten
	 * @return how many ids were added or extended
	 */
	public synchronized int merge(Map<String, Instant> expiries) {
		long now = this.nanoTime.getAsLong();
		Instant wallNow = Instant.now();
		int merged = 0;
		for (Map.Entry<String, Instant> entry : expiries.entrySet()) {
			long remaining = Duration.between(wallNow, entry.getValue()).toNanos();
			if (remaining <= 0) {
				continue;
			}
			long added = now - (this.expiryNanos - Math.min(remaining, this.expiryNanos));
			Long known = this.ids.get(entry.getKey());
			if (known == null || known < added) {
				this.ids.put(entry.getKey(), added);
				merged++;
			}
		}
		// Keep the oldest first, so that purging stops at the first id still valid.
		List<Map.Entry<String, Long>> sorted = new ArrayList<>(this.ids.entrySet());
		sorted.sort(Map.Entry.comparingByValue());
		this.ids.clear();
		sorted.forEach((entry) -> this.ids.put(entry.getKey(), entry.getValue()));
		purge(now);
		this.changes++;
		return merged;
	}

	/**
	 * Return a number that changes whenever ids are added, so that a saver can skip
	 * writing an unchanged set.
	 * @return the change count
	 */
	public synchronized long changes() {
		return this.changes;
	}

	/**
	 * Return how many ids are remembered.
	 * @return the size
	 */
	public synchronized int size() {
		purge(this.nanoTime.getAsLong());
		return this.ids.size();
	}

	private void purge(long now) {
		Iterator<Map.Entry<String, Long>> entries = this.ids.entrySet().iterator();
		while (entries.hasNext()) {
			Map.Entry<String, Long> entry = entries.next();
			boolean expired = now - entry.getValue() > this.expiryNanos;
			if (!expired && this.ids.size() <= this.maxSize) {
				return;
			}
			entries.remove();
		}
	}

}
