package io.celery4j.backend.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskMetaCodec;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for results on one pub/sub connection shared by every waiting thread: the first
 * waiter of a task subscribes to its key's channel, the last one unsubscribes, and a
 * published ready record wakes them all. After a lost connection the channels are
 * subscribed again and the keys of all awaited tasks re-read with {@code MGET}, since a
 * record published while disconnected is not delivered. Counterpart of Celery's
 * {@code celery.backends.redis.ResultConsumer}.
 * <p>
 * As Celery's client ({@code on_task_call}), the client subscribes to a task's channel
 * when it publishes the task ({@link #expect}), without waiting for Redis to confirm: an
 * {@code await} then finds the subscription made (it still reads the key once, since
 * broker and backend may be different servers and nothing orders the two), and a result
 * that arrives before anyone awaits it is kept (the last {@value #MAX_ARRIVED}, as
 * Celery's message buffer) and returned without a round trip. Such a subscription ends
 * when the ready record arrives, or when more than {@value #MAX_EXPECTED} sent tasks are
 * listened for (the oldest first; awaiting it then subscribes and reads the key as for
 * any task).
 */
final class ResultConsumer extends RedisPubSubAdapter<String, String> implements RedisConnectionStateListener {

	private static final Logger logger = LoggerFactory.getLogger(ResultConsumer.class);

	/** Longer waits are cut to this, so that nanoTime arithmetic cannot overflow. */
	private static final Duration LONGEST_WAIT = Duration.ofDays(365L * 100);

	/** How many sent tasks are listened for at most before anyone awaits them. */
	static final int MAX_EXPECTED = 10_000;

	/** How many ready records of sent tasks are kept until someone awaits them. */
	static final int MAX_ARRIVED = 1_024;

	private final RedisResultBackend backend;

	/** Waiters by channel (the result key). */
	private final Map<String, Waiters> waiters = new ConcurrentHashMap<>();

	/** Ready records of sent tasks by task id, oldest first. */
	private final Map<String, TaskMeta> arrived = Collections.synchronizedMap(new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, TaskMeta> eldest) {
			return size() > MAX_ARRIVED;
		}

	});

	/** Channels of sent tasks in the order they were expected (some already ended). */
	private final ConcurrentLinkedQueue<String> expectedOrder = new ConcurrentLinkedQueue<>();

	private final AtomicInteger expectedCount = new AtomicInteger();

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;

	private volatile boolean disconnected;

	private volatile boolean closed;

	private final int maxExpected;

	ResultConsumer(RedisResultBackend backend) {
		this(backend, MAX_EXPECTED);
	}

	ResultConsumer(RedisResultBackend backend, int maxExpected) {
		this.backend = backend;
		this.maxExpected = maxExpected;
	}

	/**
	 * Listen for a task's result from before the task is published: subscribe, without
	 * waiting for the confirmation.
	 * @param taskId the id of the task about to be published
	 */
	void expect(String taskId) {
		String channel = RedisResultBackend.key(taskId);
		StatefulRedisPubSubConnection<String, String> pubsub = connection();
		this.waiters.compute(channel, (key, current) -> (current != null) ? current.expecting(true)
				: new Waiters(new CompletableFuture<>(), subscribe(pubsub, key), 0, true));
		this.expectedOrder.add(channel);
		if (this.expectedCount.incrementAndGet() > this.maxExpected) {
			dropOldestExpected();
		}
	}

	private void dropOldestExpected() {
		String channel = this.expectedOrder.poll();
		if (channel == null) {
			return;
		}
		this.expectedCount.decrementAndGet();
		endExpectation(channel);
	}

	TaskMeta await(String taskId, Duration timeout) throws InterruptedException {
		TaskMeta early = this.arrived.get(taskId);
		if (early != null) {
			return early;
		}
		Duration wait = (timeout.compareTo(LONGEST_WAIT) > 0) ? LONGEST_WAIT : timeout;
		long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
		String channel = RedisResultBackend.key(taskId);
		Waiters registered = register(channel);
		try {
			if (registered.ready().isDone()) {
				return registered.ready().get();
			}
			awaitSubscription(registered, deadline);
			// Read only once subscribed: a record stored in between is then published to
			// us.
			TaskMeta current = this.backend.get(taskId);
			long remaining = deadline - System.nanoTime();
			if (current.isReady() || remaining <= 0) {
				return current;
			}
			try {
				return registered.ready().get(remaining, TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				return this.backend.get(taskId);
			}
		}
		catch (ExecutionException | CancellationException ex) {
			throw new IllegalStateException("Result backend " + this.backend.url()
					+ " was closed while waiting for the result of task " + taskId, ex);
		}
		finally {
			deregister(channel);
		}
	}

	private void awaitSubscription(Waiters registered, long deadline) throws InterruptedException {
		try {
			registered.subscribed().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			// Lost with the connection: the resubscription after reconnecting re-reads
			// the
			// key and completes the waiters.
			logger.debug("Result backend {}: SUBSCRIBE failed: {}", this.backend.url(), ex.getCause().getMessage());
		}
		catch (TimeoutException ex) {
			// Out of time: the caller reads the key once more and returns it.
		}
	}

	private Waiters register(String channel) {
		StatefulRedisPubSubConnection<String, String> pubsub = connection();
		return this.waiters.compute(channel, (key, current) -> {
			if (current == null) {
				// Subscribing inside compute orders SUBSCRIBE and UNSUBSCRIBE of one
				// channel on the wire as the waiters come and go.
				return new Waiters(new CompletableFuture<>(), subscribe(pubsub, key), 1, false);
			}
			// A completed future holds a ready record, which Celery never changes.
			return current.counting(current.count() + 1);
		});
	}

	private void deregister(String channel) {
		this.waiters.computeIfPresent(channel, (key, current) -> {
			if (current.count() > 1 || current.expected()) {
				return current.counting(current.count() - 1);
			}
			unsubscribe(key);
			return null;
		});
	}

	/**
	 * Forget what arrived for a task whose record was deleted.
	 * @param taskId the task id
	 */
	void forget(String taskId) {
		this.arrived.remove(taskId);
		this.waiters.computeIfPresent(RedisResultBackend.key(taskId),
				(key, current) -> current.ready().isDone() ? current.withReady(new CompletableFuture<>()) : current);
	}

	private CompletableFuture<Void> subscribe(StatefulRedisPubSubConnection<String, String> pubsub, String channel) {
		try {
			return pubsub.async().subscribe(channel).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void unsubscribe(String channel) {
		StatefulRedisPubSubConnection<String, String> pubsub = this.connection;
		if (pubsub != null && !this.closed) {
			try {
				pubsub.async().unsubscribe(channel);
			}
			catch (RuntimeException ex) {
				logger.debug("Result backend {}: UNSUBSCRIBE {} failed: {}", this.backend.url(), channel,
						ex.getMessage());
			}
		}
	}

	private StatefulRedisPubSubConnection<String, String> connection() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.closed) {
				throw new IllegalStateException("Result backend " + this.backend.url() + " is closed");
			}
			if (this.connection == null) {
				// The re-read after a reconnect runs on Lettuce's event loop, where
				// connecting would block: open the command connection first.
				this.backend.connection();
				StatefulRedisPubSubConnection<String, String> pubsub;
				try {
					pubsub = this.backend.client().connectPubSub(StringCodec.UTF8);
				}
				catch (RuntimeException ex) {
					throw new io.celery4j.CeleryException("Result backend " + this.backend.url()
							+ ": connecting for pub/sub failed: " + ex.getMessage(), ex);
				}
				pubsub.addListener((RedisPubSubAdapter<String, String>) this);
				pubsub.addListener((RedisConnectionStateListener) this);
				this.connection = pubsub;
			}
			return this.connection;
		}
	}

	@Override
	public void message(String channel, String message) {
		Waiters current = this.waiters.get(channel);
		if (current == null) {
			return;
		}
		String taskId = channel.substring(RedisResultBackend.TASK_KEY_PREFIX.length());
		TaskMeta meta;
		try {
			meta = TaskMetaCodec.decode(taskId, message);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Result backend {}: ignored an unreadable record published for task {}: {}", this.backend.url(),
					taskId, ex.getMessage());
			return;
		}
		// STARTED and RETRY are only noted by Celery's consumer; waiters want a ready
		// state.
		if (meta.isReady()) {
			current.ready().complete(meta);
			if (current.expected()) {
				this.arrived.put(taskId, meta);
				endExpectation(channel);
			}
		}
	}

	/**
	 * No send listens for the channel any more; unsubscribe unless a thread waits.
	 */
	private void endExpectation(String channel) {
		this.waiters.computeIfPresent(channel, (key, current) -> {
			if (!current.expected()) {
				return current;
			}
			if (current.count() > 0) {
				return current.expecting(false);
			}
			unsubscribe(key);
			return null;
		});
	}

	@Override
	public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
		if (!this.closed && !this.disconnected) {
			this.disconnected = true;
			logger.warn("Result backend {}: pub/sub connection lost, reconnecting ({} results awaited)",
					this.backend.url(), this.waiters.size());
		}
	}

	@Override
	public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
		if (this.closed || !this.disconnected) {
			return;
		}
		this.disconnected = false;
		logger.warn("Result backend {}: pub/sub connection restored, re-reading {} awaited results", this.backend.url(),
				this.waiters.size());
		resubscribeAndReread();
	}

	/**
	 * Subscribe every awaited channel again, and once Redis confirmed, read their keys:
	 * what was published while disconnected is stored there.
	 */
	private void resubscribeAndReread() {
		StatefulRedisPubSubConnection<String, String> pubsub = this.connection;
		if (pubsub == null) {
			return;
		}
		List<String> channels = new ArrayList<>();
		List<CompletableFuture<Void>> confirmations = new ArrayList<>();
		for (String channel : List.copyOf(this.waiters.keySet())) {
			this.waiters.computeIfPresent(channel, (key, current) -> {
				channels.add(key);
				confirmations.add(subscribe(pubsub, key));
				return current;
			});
		}
		if (channels.isEmpty()) {
			return;
		}
		CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new))
			.thenCompose((confirmed) -> this.backend.mget(channels))
			.whenComplete((values, error) -> {
				if (error != null) {
					logger.warn("Result backend {}: re-reading awaited results failed: {}", this.backend.url(),
							error.getMessage());
				}
				else {
					values.stream().filter(KeyValue::hasValue).forEach(this::deliver);
				}
			});
	}

	private void deliver(KeyValue<String, String> value) {
		message(value.getKey(), value.getValue());
	}

	/**
	 * Return how many threads wait for a task.
	 * @param taskId the task id
	 * @return the number of waiting threads
	 */
	int waiting(String taskId) {
		Waiters current = this.waiters.get(RedisResultBackend.key(taskId));
		return (current != null) ? current.count() : 0;
	}

	/**
	 * Return the pub/sub connection, if open.
	 * @return the connection or {@code null}
	 */
	@Nullable StatefulRedisPubSubConnection<String, String> pubSubConnection() {
		return this.connection;
	}

	void close() {
		synchronized (this) {
			this.closed = true;
		}
		this.waiters.values().forEach((current) -> current.ready().cancel(false));
		this.arrived.clear();
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null) {
			current.close();
		}
	}

	/**
	 * The threads waiting for one task, and whether a send listens for it.
	 *
	 * @param ready completed with the first ready record published
	 * @param subscribed completed when Redis confirmed the subscription
	 * @param count how many threads wait
	 * @param expected whether the task was sent by this client and its result has not
	 * arrived yet
	 */
	private record Waiters(CompletableFuture<TaskMeta> ready, CompletableFuture<Void> subscribed, int count,
			boolean expected) {

		Waiters counting(int newCount) {
			return new Waiters(this.ready, this.subscribed, newCount, this.expected);
		}

		Waiters expecting(boolean newExpected) {
			return new Waiters(this.ready, this.subscribed, this.count, newExpected);
		}

		Waiters withReady(CompletableFuture<TaskMeta> newReady) {
			return new Waiters(newReady, this.subscribed, this.count, this.expected);
		}

	}

}
