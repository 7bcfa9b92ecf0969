package io.celery4j.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.celery4j.broker.Broker;
import io.celery4j.broker.BrokerUrl;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.Envelopes;
import io.celery4j.broker.Priorities;
import io.celery4j.broker.QueueCycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * The Redis transport with kombu's exact key layout (PROTOCOL.md section 2), so that
 * Python Celery workers and clients share queues, unacknowledged messages and restores
 * with this one: priority-step lists fed by {@code LPUSH} and consumed from the other
 * end, {@code _kombu.binding.*} sets, the {@code unacked} hash, the {@code unacked_index}
 * sorted set and the {@code unacked_mutex} lock.
 * <p>
 * Counterpart of kombu's {@code kombu.transport.redis.Channel}. Differences that do not
 * show in the data: waiting is a loop of one-second {@code BRPOP}s as kombu's, but
 * messages already waiting are taken in batches by a Lua script that records them in
 * {@code unacked} in the same step (kombu pops, then records: a worker killed in between
 * loses what it popped; here only a message a {@code BRPOP} took has that window), and
 * acknowledgements made together go out together in one script (kombu's transactions,
 * atomic all the same). Kombu's {@code global_keyprefix} is not supported.
 * <p>
 * Built on Spring Data Redis with raw byte keys. The broker keeps a few
 * {@link RedisConnection}s open so that blocking commands and transactions run on
 * dedicated native connections without connecting each time, while plain commands share
 * the factory's native connection. With a Lettuce factory, recording and acknowledging
 * use one more native connection of its own through Lettuce's asynchronous API.
 * Thread-safe.
 *
 * <pre class="code">
 * Broker broker = RedisBroker.create(BrokerUrl.parse("redis://localhost:6379/0"));
 * </pre>
 */
public final class RedisBroker implements Broker {

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	/** Kombu's BRPOP timeout: wait in slices of one second. */
	private static final int BRPOP_SECONDS = 1;

	private static final long MIN_WAIT_NANOS = 10_000_000;

	/** The most a restore or close waits for acknowledgements under way. */
	private static final Duration ACK_WAIT = Duration.ofSeconds(10);

	/**
	 * The most messages one fetch takes, so that one script never empties a huge queue.
	 */
	private static final int MAX_BATCH = 256;

	private final RedisConnectionFactory factory;

	private final RedisSessions sessions;

	private final NativeCommands natives;

	private final @Nullable Acknowledgements acks;

	private final UnackedMessages unacked = new UnackedMessages();

	private final QueueCycle cycle = new QueueCycle();

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	private final String description;

	private final Runnable onClose;

	private volatile @Nullable FetchKeys fetchKeys;

	private final Object recordLock = new Object();

	/** The record of the last batch fetched, on the native connection. */
	private volatile CompletableFuture<?> recording = CompletableFuture.completedFuture(null);

	private volatile boolean closed;

	/**
	 * Create a broker on an application's connection factory, which it does not own:
	 * {@link #close()} releases the broker's connections and leaves the factory running.
	 * @param factory the connection factory
	 * @param description what {@link #maskedUrl()} returns (must not contain a password)
	 */
	public RedisBroker(RedisConnectionFactory factory, String description) {
		this(factory, description, () -> {
		});
	}

	private RedisBroker(RedisConnectionFactory factory, String description, Runnable onClose) {
		Assert.notNull(factory, "'factory' must not be null");
		Assert.hasText(description, "'description' must not be empty");
		this.factory = factory;
		this.sessions = new RedisSessions(factory);
		this.natives = new NativeCommands(factory);
		this.description = description;
		this.acks = this.natives.isAvailable() ? new Acknowledgements(this.natives, description) : null;
		this.onClose = onClose;
	}

	/**
	 * Create a broker with its own Lettuce connection factory for a URL; the factory is
	 * destroyed when the broker is closed.
	 * @param url a {@code redis://} or {@code rediss://} URL
	 * @return the broker
	 */
	public static RedisBroker create(BrokerUrl url) {
		LettuceConnectionFactory factory = RedisConnectionFactories.create(url);
		return new RedisBroker(factory, url.masked(), factory::destroy);
	}

	/**
	 * Return the connection factory, for what shares the broker's Redis besides queues
	 * (events and remote control over pub/sub).
	 * @return the connection factory
	 */
	public RedisConnectionFactory getConnectionFactory() {
		return this.factory;
	}

	/**
	 * Return the Redis database number, which kombu puts in pub/sub channel names.
	 * @return the database of the connection factory, 0 when it does not say
	 */
	public int getDatabase() {
		return (this.factory instanceof LettuceConnectionFactory lettuce) ? lettuce.getDatabase() : 0;
	}

	/**
	 * Declare a queue as kombu does for the nameless exchange's routing:
	 * {@code SADD _kombu.binding.<queue> "<queue>\x06\x16\x06\x16<queue>"}, once per
	 * queue for the life of this broker.
	 */
	@Override
	public void declareQueue(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		if (this.declared.contains(queue)) {
			return;
		}
		ensureOpen();
		this.sessions.execute((connection) -> connection.setCommands()
			.sAdd(KombuKeys.binding(queue), KombuKeys.bindingMember(queue, "", queue)));
		this.declared.add(queue);
	}

	/**
	 * Publish with {@code LPUSH} onto the list of the priority's step ({@code celery},
	 * {@code celery\x06\x163}, ...). The envelope's bytes are stored as given.
	 */
	@Override
	public void publish(String queue, int priority, String envelope) {
		Assert.hasText(queue, "'queue' must not be empty");
		Assert.notNull(envelope, "'envelope' must not be null");
		ensureOpen();
		byte[] key = KombuKeys.queue(queue, Priorities.stepIndex(priority));
		this.sessions.execute((connection) -> connection.listCommands().lPush(key, KombuKeys.bytes(envelope)));
	}

	/**
	 * Fetch as kombu's consumer does and record every message in {@code unacked}. Queues
	 * are declared on first use. Messages already waiting are taken without blocking (up
	 * to {@code max}); otherwise {@code BRPOP} over all priority lists, lowest step
	 * first, waits in one-second slices until the timeout (a timeout under one second
	 * waits one second). A message that is not JSON is still returned, with a generated
	 * delivery tag, so that the worker can reject it. One fetch returns at most 256
	 * messages, and one message when a {@code BRPOP} ended the wait (the next fetch takes
	 * what arrived meanwhile). With a Lettuce factory the record in {@code unacked} is
	 * queued on the connection when this returns, not yet answered: acknowledgements and
	 * restores wait for it first.
	 */
	@Override
	public List<Delivery> fetch(List<String> queues, int max, Duration timeout) throws InterruptedException {
		Assert.notEmpty(queues, "'queues' must not be empty");
		Assert.isTrue(max >= 1, () -> "'max' must be at least 1, got " + max);
		Assert.notNull(timeout, "'timeout' must not be null");
		ensureOpen();
		queues.forEach(this::declareQueue);
		FetchKeys keys = fetchKeys(this.cycle.order(queues));
		int batch = Math.min(max, MAX_BATCH);
		RedisConnection connection = this.sessions.borrow();
		boolean healthy = false;
		try {
			List<Popped> popped = pop(connection, keys, batch);
			if (popped.isEmpty()) {
				// No POP for more after a wake-up: it is one more round trip before the
				// message runs, and the next fetch takes what arrived meanwhile.
				popped = waitForMessage(connection, keys, timeout);
			}
			if (popped.isEmpty()) {
				healthy = true;
				return List.of();
			}
			List<byte @Nullable []> objects = new ArrayList<>(popped.size());
			List<Delivery> deliveries = deliveries(keys, popped, objects);
			this.cycle.rotate(deliveries.get(deliveries.size() - 1).queue());
			healthy = recordRest(connection, popped, deliveries, objects);
			return deliveries;
		}
		catch (RuntimeException ex) {
			healthy = false;
			if (Thread.interrupted()) {
				InterruptedException interrupted = new InterruptedException(
						"Interrupted while fetching from " + this.description);
				interrupted.initCause(ex);
				throw interrupted;
			}
			throw ex;
		}
		finally {
			this.sessions.release(connection, healthy);
		}
	}

	private List<Popped> waitForMessage(RedisConnection connection, FetchKeys keys, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + nanos(timeout);
		while (deadline - System.nanoTime() > MIN_WAIT_NANOS) {
			if (Thread.interrupted()) {
				throw new InterruptedException("Interrupted while fetching from " + this.description);
			}
			List<byte[]> result = connection.listCommands().bRPop(BRPOP_SECONDS, keys.all());
			if (result != null && result.size() == 2) {
				List<Popped> popped = new ArrayList<>();
				popped.add(new Popped(result.get(0), result.get(1), null));
				return popped;
			}
		}
		return new ArrayList<>();
	}

	private List<Popped> pop(RedisConnection connection, FetchKeys keys, int max) {
		byte[][] lists = keys.all();
		List<String> order = keys.order();
		byte[][] keysAndArgs = new byte[lists.length + 5 + order.size()][];
		System.arraycopy(lists, 0, keysAndArgs, 0, lists.length);
		int next = lists.length;
		keysAndArgs[next++] = KombuKeys.UNACKED_INDEX;
		keysAndArgs[next++] = KombuKeys.UNACKED;
		keysAndArgs[next++] = KombuKeys.bytes(Integer.toString(max));
		keysAndArgs[next++] = KombuKeys.bytes(Integer.toString(keys.width()));
		keysAndArgs[next++] = KombuKeys.bytes(Double.toString(UnackedMessages.epochSeconds(Instant.now())));
		for (String queue : order) {
			keysAndArgs[next++] = KombuKeys.bytes(queue);
		}
		List<Object> result = RedisScripts.POP.run(connection, ReturnType.MULTI, lists.length + 2, keysAndArgs);
		List<Popped> popped = new ArrayList<>();
		if (result != null) {
			for (int i = 0; i + 2 < result.size(); i += 3) {
				String recorded = KombuKeys.string((byte[]) result.get(i + 2));
				popped.add(new Popped((byte[]) result.get(i), (byte[]) result.get(i + 1),
						recorded.isEmpty() ? null : recorded));
			}
		}
		return popped;
	}

	private static List<Delivery> deliveries(FetchKeys keys, List<Popped> popped, List<byte @Nullable []> objects) {
		List<Delivery> deliveries = new ArrayList<>(popped.size());
		for (Popped message : popped) {
			Envelopes.Parsed parsed = Envelopes.parse(keys.queueOf(message.key()), KombuKeys.string(message.message()),
					message.message());
			Delivery delivery = parsed.delivery();
			String recorded = message.recordedTag();
			if (recorded != null && !recorded.equals(delivery.deliveryTag())) {
				// The script read a tag where this parse found none: settle under the tag
				// the message is recorded with.
				delivery = new Delivery(delivery.queue(), recorded, delivery.exchange(), delivery.routingKey(),
						delivery.envelope());
			}
			deliveries.add(delivery);
			objects.add(parsed.wellFormed() ? message.message() : null);
		}
		return deliveries;
	}

	/**
	 * Record what the pop script could not: the message a {@code BRPOP} took, and any
	 * message the script left to the caller.
	 */
	private boolean recordRest(RedisConnection connection, List<Popped> popped, List<Delivery> deliveries,
			List<byte @Nullable []> objects) {
		List<Delivery> rest = new ArrayList<>();
		List<byte @Nullable []> restObjects = new ArrayList<>();
		for (int i = 0; i < popped.size(); i++) {
			if (popped.get(i).recordedTag() == null) {
				rest.add(deliveries.get(i));
				restObjects.add(objects.get(i));
			}
		}
		return rest.isEmpty() || record(connection, rest, restObjects);
	}

	private boolean record(RedisConnection connection, List<Delivery> deliveries, List<byte @Nullable []> objects) {
		try {
			if (this.natives.isAvailable()) {
				// Not waited for: the messages run while the script is on its way. Acks
				// and restores wait for it (awaitRecorded), so that none overtakes it.
				// A crash before Redis ran it loses the batch as a crash before a
				// waited-for record would: the messages are off the queue either way.
				int count = deliveries.size();
				synchronized (this.recordLock) {
					// Sent and noted in one step: the last record noted is the last sent,
					// and Redis answers them in that order.
					this.recording = this.unacked.recordAsync(this.natives, deliveries, objects)
						.whenComplete((recorded, ex) -> {
							if (ex != null) {
								recordFailed(count, (ex.getCause() != null) ? ex.getCause() : ex);
							}
						});
				}
			}
			else {
				this.unacked.record(connection, deliveries, objects);
			}
			return true;
		}
		catch (RuntimeException ex) {
			// Returned anyway: dropping them here would lose them for sure.
			recordFailed(deliveries.size(), ex);
			return false;
		}
	}

	private void recordFailed(int count, Throwable ex) {
		logger.error("Broker {} could not record {} fetched message(s) in 'unacked' ({}); they run, but are "
				+ "lost if this worker dies first", this.description, count, ex.getMessage());
	}

	private FetchKeys fetchKeys(List<String> order) {
		FetchKeys keys = this.fetchKeys;
		if (keys == null || !keys.order().equals(order)) {
			keys = FetchKeys.of(order);
			this.fetchKeys = keys;
		}
		return keys;
	}

	/**
	 * Acknowledge: kombu's {@code MULTI; ZREM unacked_index <tag>; HDEL unacked <tag>;
	 * EXEC}, as one Lua script. With a Lettuce connection factory the command is queued
	 * on the connection when this returns and the reply is checked in the background (a
	 * failure is logged; the message is then redelivered after the visibility timeout),
	 * and tags acknowledged while a call is under way go out together in the next one.
	 */
	@Override
	public void ack(Delivery delivery) {
		Assert.notNull(delivery, "'delivery' must not be null");
		ensureOpen();
		Acknowledgements acks = this.acks;
		if (acks != null) {
			awaitRecorded();
			acks.ack(delivery.deliveryTag());
			return;
		}
		this.sessions.execute((connection) -> {
			this.unacked.ack(connection, delivery.deliveryTag());
			return null;
		});
	}

	/**
	 * Reject with requeue as kombu does: the stored message, marked redelivered, goes
	 * back with {@code LPUSH} onto the base list of its queue, behind everything waiting,
	 * in the same transaction that acknowledges it.
	 */
	@Override
	public void requeue(Delivery delivery) {
		Assert.notNull(delivery, "'delivery' must not be null");
		ensureOpen();
		awaitAcks();
		this.sessions.execute((connection) -> this.unacked.restore(connection, KombuKeys.bytes(delivery.deliveryTag()),
				true, delivery.queue()));
	}

	/**
	 * Give messages back as kombu's {@code restore_by_tag}: each, marked redelivered,
	 * goes with {@code RPUSH} to the consuming end of its queue's base list. They are
	 * restored last first, so the first of them is the next one fetched. A message no
	 * longer in {@code unacked} (acknowledged or restored by another consumer) is
	 * skipped.
	 */
	@Override
	public void restore(Collection<Delivery> deliveries) {
		Assert.notNull(deliveries, "'deliveries' must not be null");
		if (deliveries.isEmpty()) {
			return;
		}
		ensureOpen();
		awaitAcks();
		List<Delivery> ordered = new ArrayList<>(deliveries);
		this.sessions.execute((connection) -> {
			ListIterator<Delivery> iterator = ordered.listIterator(ordered.size());
			while (iterator.hasPrevious()) {
				Delivery delivery = iterator.previous();
				this.unacked.restore(connection, KombuKeys.bytes(delivery.deliveryTag()), false, delivery.queue());
			}
			return null;
		});
	}

	/**
	 * Kombu's {@code restore_visible}: {@code SET unacked_mutex <token> PX 300000 NX},
	 * {@code ZREVRANGEBYSCORE unacked_index <now - timeout> 0 WITHSCORES}, a restore per
	 * message, then redis-py's compare-and-delete script to release the mutex. Returns 0
	 * without doing anything while another consumer (Python or Java) holds the mutex.
	 */
	@Override
	public int restoreExpired(Duration visibilityTimeout) {
		Assert.notNull(visibilityTimeout, "'visibilityTimeout' must not be null");
		ensureOpen();
		awaitAcks();
		return this.sessions.execute((connection) -> this.unacked.restoreVisible(connection, visibilityTimeout));
	}

	/**
	 * Return the sum of {@code LLEN} over the queue's four priority lists, read in one
	 * pipeline.
	 */
	@Override
	public long queueLength(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		ensureOpen();
		List<Object> lengths = this.sessions.execute((connection) -> {
			connection.openPipeline();
			for (int step = 0; step < Priorities.stepCount(); step++) {
				connection.listCommands().lLen(KombuKeys.queue(queue, step));
			}
			return connection.closePipeline();
		});
		long total = 0;
		for (Object length : lengths) {
			total += (length instanceof Number number) ? number.longValue() : 0;
		}
		return total;
	}

	/**
	 * Send {@code PING}; throws a Spring {@code DataAccessException} when Redis does not
	 * answer.
	 */
	@Override
	public void ping() {
		ensureOpen();
		this.sessions.execute(RedisConnection::ping);
	}

	@Override
	public String maskedUrl() {
		return this.description;
	}

	/**
	 * Close the broker's connections, and destroy the connection factory when the broker
	 * created it.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			awaitAcks();
			this.natives.close();
			this.sessions.close();
		}
		finally {
			this.onClose.run();
		}
	}

	/**
	 * Wait for acknowledgements under way, so that a restore or a close that follows an
	 * ack sees it done.
	 */
	private void awaitAcks() {
		awaitRecorded();
		Acknowledgements acks = this.acks;
		if (acks != null) {
			acks.awaitSent(ACK_WAIT);
		}
	}

	/**
	 * Wait until the last batch fetched is recorded in {@code unacked} (or failed to be),
	 * so that an ack or a restore of one of its messages does not overtake the record.
	 * Nearly always done already: the message ran meanwhile.
	 */
	private void awaitRecorded() {
		CompletableFuture<?> last = this.recording;
		if (last.isDone()) {
			return;
		}
		try {
			last.get(this.natives.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Logged where the record failed; the ack or restore goes ahead.
		}
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new IllegalStateException("Broker " + this.description + " is closed");
		}
	}

	private static long nanos(Duration duration) {
		if (duration.isNegative()) {
			return 0;
		}
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE / 2;
		}
	}

	/**
	 * A message taken from a list, with the delivery tag the pop script recorded it under
	 * in {@code unacked}, or {@code null} when the caller records it.
	 */
	private record Popped(byte[] key, byte[] message, @Nullable String recordedTag) {

	}

	/**
	 * The lists to consume for an order of queues, grouped by step as kombu's
	 * {@code _brpop_start} lists them: {@code q1 q2 q1\x06\x163 q2\x06\x163 ...}.
	 */
	private record FetchKeys(List<String> order, byte[][] all, Map<String, String> queues) {

		static FetchKeys of(List<String> order) {
			byte[][] all = new byte[order.size() * Priorities.stepCount()][];
			Map<String, String> queues = new HashMap<>();
			int index = 0;
			for (int step = 0; step < Priorities.stepCount(); step++) {
				for (String queue : order) {
					byte[] key = KombuKeys.queue(queue, step);
					all[index++] = key;
					queues.put(KombuKeys.string(key), queue);
				}
			}
			return new FetchKeys(order, all, queues);
		}

		int width() {
			return this.order.size();
		}

		String queueOf(byte[] key) {
			String name = KombuKeys.string(key);
			String queue = this.queues.get(name);
			if (queue != null) {
				return queue;
			}
			int separator = name.lastIndexOf(KombuKeys.SEPARATOR);
			return (separator >= 0) ? name.substring(0, separator) : name;
		}

	}

}
