package io.celery4j.backend.memory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import io.celery4j.backend.GroupMetaCodec;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * A result backend held in this JVM ({@code memory://}), with the semantics of Celery's
 * Redis backend: a stored SUCCESS is never overwritten, {@link #await await} wakes as
 * soon as a ready state is stored (no polling), and records disappear after the
 * configured expiry; chords count their header tasks atomically, as on Redis. Results are
 * visible only inside this process, so a Python client or another JVM cannot read them.
 *
 * <pre class="code">
 * ResultBackend backend = new MemoryResultBackend(Duration.ofDays(1));
 * </pre>
 */
public class MemoryResultBackend implements ResultBackend {

	private static final Logger logger = LoggerFactory.getLogger(MemoryResultBackend.class);

	/**
	 * Longer expiries mean "never" and longer waits are cut to this: nanoTime arithmetic
	 * must not overflow.
	 */
	private static final Duration LONGEST = Duration.ofDays(365L * 100);

	private final long expiresNanos;

	private final Map<String, Stored> records = new ConcurrentHashMap<>();

	private final Map<String, Waiters> waiters = new ConcurrentHashMap<>();

	/** Stored records in the order they expire (expiry is the same for all). */
	private final Queue<Stored> expiryQueue = new ConcurrentLinkedQueue<>();

	private final MemoryChords chords;

	/** Saved group results; few and small, so expired ones go only when read. */
	private final Map<String, StoredGroup> groups = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * Create a backend.
	 * @param expires how long a stored record is kept; zero keeps it until the backend is
	 * closed (Celery's {@code result_expires})
	 */
	public MemoryResultBackend(Duration expires) {
		Assert.notNull(expires, "'expires' must not be null");
		Assert.isTrue(!expires.isNegative(), () -> "'expires' must not be negative, got " + expires);
		this.expiresNanos = (expires.isZero() || expires.compareTo(LONGEST) > 0) ? 0 : expires.toNanos();
		this.chords = new MemoryChords(this.expiresNanos);
	}

	@Override
	public void store(TaskMeta meta) {
		Assert.notNull(meta, "'meta' must not be null");
		requireOpen();
		long now = System.nanoTime();
		Stored stored = new Stored(meta, now + this.expiresNanos);
		Stored result = this.records.compute(meta.taskId(), (id, current) -> {
			if (current != null && !isExpired(current, now) && TaskState.SUCCESS.equals(current.meta().status())) {
				return current;
			}
			return stored;
		});
		if (result != stored) {
			logger.debug("Task {} already succeeded; {} not stored", meta.taskId(), meta.status());
			return;
		}
		if (this.expiresNanos > 0) {
			this.expiryQueue.add(stored);
			purgeExpired(now);
		}
		if (meta.isReady()) {
			Waiters current = this.waiters.get(meta.taskId());
			if (current != null) {
				current.ready().complete(meta);
			}
		}
	}

	@Override
	public TaskMeta get(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		Stored stored = this.records.get(taskId);
		if (stored == null) {
			return TaskMeta.pending(taskId);
		}
		if (isExpired(stored, System.nanoTime())) {
			this.records.remove(taskId, stored);
			return TaskMeta.pending(taskId);
		}
		return stored.meta();
	}

	@Override
	public TaskMeta await(String taskId, Duration timeout) throws InterruptedException {
		Assert.hasText(taskId, "'taskId' must not be empty");
		Assert.notNull(timeout, "'timeout' must not be null");
		requireOpen();
		// Register before reading: a store in between then completes our future.
		CompletableFuture<TaskMeta> ready = register(taskId);
		try {
			TaskMeta current = get(taskId);
			if (current.isReady() || timeout.isNegative() || timeout.isZero()) {
				return current;
			}
			return ready.get(((timeout.compareTo(LONGEST) > 0) ? LONGEST : timeout).toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return get(taskId);
		}
		catch (ExecutionException | CancellationException ex) {
			throw new IllegalStateException(
					"Result backend memory:// was closed while waiting for the result of task " + taskId, ex);
		}
		finally {
			deregister(taskId);
		}
	}

	private CompletableFuture<TaskMeta> register(String taskId) {
		Waiters registered = this.waiters.compute(taskId, (id, current) -> {
			if (current == null || current.ready().isDone()) {
				return new Waiters(new CompletableFuture<>(), (current != null) ? current.count() + 1 : 1);
			}
			return new Waiters(current.ready(), current.count() + 1);
		});
		return registered.ready();
	}

	private void deregister(String taskId) {
		this.waiters.computeIfPresent(taskId,
				(id, current) -> (current.count() <= 1) ? null : new Waiters(current.ready(), current.count() - 1));
	}

	@Override
	public void forget(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		this.records.remove(taskId);
	}

	@Override
	public void setChordSize(String groupId, int size) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		requireOpen();
		this.chords.setChordSize(groupId, size);
	}

	@Override
	public @Nullable List<ChordMember> onChordPartReturn(ChordPart part) {
		Assert.notNull(part, "'part' must not be null");
		requireOpen();
		return this.chords.onChordPartReturn(part);
	}

	@Override
	public void deleteChord(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		this.chords.deleteChord(groupId);
	}

	@Override
	public void ping() {
		requireOpen();
	}

	@Override
	public String maskedUrl() {
		return "memory://";
	}

	@Override
	public void saveGroup(String groupId, Object result) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		Assert.notNull(result, "'result' must not be null");
		requireOpen();
		// Kept as the JSON text Redis would hold, so a restore never shares a mutable
		// tree.
		this.groups.put(groupId, new StoredGroup(GroupMetaCodec.encode(result), System.nanoTime() + this.expiresNanos));
	}

	@Override
	public @Nullable Object restoreGroup(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		requireOpen();
		StoredGroup stored = this.groups.get(groupId);
		if (stored == null) {
			return null;
		}
		if (this.expiresNanos > 0 && System.nanoTime() - stored.deadline() >= 0) {
			this.groups.remove(groupId, stored);
			return null;
		}
		return GroupMetaCodec.decode(groupId, stored.json());
	}

	@Override
	public void forgetGroup(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		this.groups.remove(groupId);
	}

	@Override
	public void close() {
		this.closed = true;
		this.waiters.values().forEach((current) -> current.ready().cancel(false));
		this.waiters.clear();
		this.records.clear();
		this.expiryQueue.clear();
		this.chords.clear();
		this.groups.clear();
	}

	private void requireOpen() {
		if (this.closed) {
			throw new IllegalStateException("Result backend memory:// is closed");
		}
	}

	private boolean isExpired(Stored stored, long now) {
		return this.expiresNanos > 0 && now - stored.deadline() >= 0;
	}

	private void purgeExpired(long now) {
		Stored head = this.expiryQueue.peek();
		while (head != null && isExpired(head, now)) {
			if (this.expiryQueue.remove(head)) {
				this.records.remove(head.meta().taskId(), head);
			}
			head = this.expiryQueue.peek();
		}
	}

	/**
	 * Return how many records are held, expired ones not yet purged included.
	 * @return the number of records
	 */
	int size() {
		return this.records.size();
	}

	/**
	 * Return how many threads wait for a task.
	 * @param taskId the task id
	 * @return the number of waiting threads
	 */
	int waiting(String taskId) {
		Waiters current = this.waiters.get(taskId);
		return (current != null) ? current.count() : 0;
	}

	private record Stored(TaskMeta meta, long deadline) {

	}

	private record StoredGroup(String json, long deadline) {

	}

	private record Waiters(CompletableFuture<TaskMeta> ready, int count) {

	}

	@Override
	public String toString() {
		return "MemoryResultBackend[" + maskedUrl() + "]";
	}

}
