package io.celery4j.backend.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.celery4j.CeleryException;
import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import io.celery4j.backend.GroupMetaCodec;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskMetaCodec;
import io.celery4j.broker.BrokerUrl;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * Celery's Redis result backend (PROTOCOL.md section 3), readable and writable by Python
 * Celery. A record lives under {@code celery-task-meta-<id>} with the bytes and expiry
 * Celery writes, and is published on the key's channel; a stored SUCCESS is never
 * overwritten. Celery does this with {@code GET}, then
 * {@code MULTI; SETEX <key> <expires> <json>; PUBLISH <key> <json>; EXEC}; this backend
 * runs the same commands in one Lua script ({@link StoreScript}), one round trip.
 * {@link #await await} subscribes to the key's channel before reading the key and then
 * waits for a published ready record, without polling; all waiting threads share one
 * pub/sub connection. Chords count their header tasks with Celery's keys
 * ({@code RedisChords}). Counterpart of Celery's
 * {@code celery.backends.redis.RedisBackend}.
 * <p>
 * Built on the Lettuce client of a {@link LettuceConnectionFactory}: commands share one
 * connection (transactions are dispatched atomically on it, so no connection is opened
 * per store), and waiting uses one more.
 *
 * <pre class="code">
 * ResultBackend backend = ResultBackends.redis(connectionFactory, Duration.ofDays(1), "redis://localhost:6379/1");
 * </pre>
 */
public class RedisResultBackend implements ResultBackend {

	private static final Logger logger = LoggerFactory.getLogger(RedisResultBackend.class);

	/** Prefix of result keys and their pub/sub channels. */
	public static final String TASK_KEY_PREFIX = "celery-task-meta-";

	private final LettuceConnectionFactory factory;

	private final long expiresMillis;

	private final String url;

	private final boolean ownsFactory;

	/** Guards dispatching on the shared connection, so a transaction is never split. */
	private final Object dispatchLock = new Object();

	private final ResultConsumer consumer;

	private final StoreScript storeScript;

	private final RedisChords chords;

	private volatile @Nullable StatefulRedisConnection<String, String> connection;

	private volatile boolean closed;

	/**
	 * Create a backend.
	 * @param factory a {@link LettuceConnectionFactory}, started
	 * @param expires how long records are kept (Celery's {@code result_expires}); zero
	 * keeps them forever
	 * @param description the backend URL or another description for logs and health,
	 * masked here
	 * @param ownsFactory whether {@link #close()} destroys the factory
	 * @throws IllegalArgumentException if the factory is not a Lettuce one
	 */
	public RedisResultBackend(RedisConnectionFactory factory, Duration expires, String description,
			boolean ownsFactory) {
		Assert.notNull(factory, "'factory' must not be null");
		Assert.notNull(expires, "'expires' must not be null");
		Assert.isTrue(!expires.isNegative(), () -> "'expires' must not be negative, got " + expires);
		Assert.hasText(description, "'description' must not be empty");
		this.url = BrokerUrl.mask(description);
		if (!(factory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalArgumentException(
					"The Redis result backend (" + this.url + ") needs a LettuceConnectionFactory, got "
							+ factory.getClass().getName() + "; use Lettuce (Spring Boot's default Redis client)");
		}
		this.factory = lettuce;
		this.expiresMillis = expires.toMillis();
		this.ownsFactory = ownsFactory;
		this.consumer = new ResultConsumer(this);
		this.storeScript = new StoreScript(this.expiresMillis);
		this.chords = new RedisChords(this, expires);
	}

	/**
	 * Return the key (and pub/sub channel) of a task's record.
	 * @param taskId the task id
	 * @return {@code celery-task-meta-<id>}
	 */
	public static String key(String taskId) {
		return TASK_KEY_PREFIX + taskId;
	}

	@Override
	public void store(TaskMeta meta) {
		Assert.notNull(meta, "'meta' must not be null");
		String key = key(meta.taskId());
		String json = TaskMetaCodec.encode(meta);
		if (!storeRecord(key, json)) {
			logger.debug("Task {} already succeeded; {} not stored", meta.taskId(), meta.status());
		}
	}

	/**
	 * Write and publish a record with the store script, as Celery's {@code set}.
	 * @return whether it was written ({@code false} when a SUCCESS was kept)
	 */
	private boolean storeRecord(String key, String json) {
		Long stored;
		try {
			stored = execute("EVALSHA store " + key, (commands) -> this.storeScript.runCached(commands, key, json));
		}
		catch (CeleryException ex) {
			if (!(ex.getCause() instanceof RedisNoScriptException)) {
				throw ex;
			}
			stored = execute("EVAL store " + key, (commands) -> this.storeScript.runSource(commands, key, json));
		}
		return stored != null && stored != 0;
	}

	@Override
	public TaskMeta get(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		String key = key(taskId);
		String json = execute("GET " + key, (commands) -> commands.get(key));
		return (json != null) ? decode(taskId, json) : TaskMeta.pending(taskId);
	}

	TaskMeta decode(String taskId, String json) {
		try {
			return TaskMetaCodec.decode(taskId, json);
		}
		catch (IllegalArgumentException ex) {
			throw new CeleryException("Result of task " + taskId + " in " + this.url + " (key " + key(taskId)
					+ ") cannot be read: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Read several keys without blocking the calling thread, for the consumer's re-read
	 * after a lost connection.
	 * @param keys the keys
	 * @return the values in the order of the keys
	 */
	CompletionStage<List<KeyValue<String, String>>> mget(List<String> keys) {
		StatefulRedisConnection<String, String> connection = connection();
		synchronized (this.dispatchLock) {
			return connection.async().mget(keys.toArray(String[]::new));
		}
	}

	@Override
	public TaskMeta await(String taskId, Duration timeout) throws InterruptedException {
		Assert.hasText(taskId, "'taskId' must not be empty");
		Assert.notNull(timeout, "'timeout' must not be null");
		requireOpen();
		return this.consumer.await(taskId, timeout);
	}

	/**
	 * Subscribe to the task's channel before it is published, as Celery's client does
	 * ({@code on_task_call}): awaiting it then costs no round trip of its own. A failure
	 * here does not stop the send; awaiting the task subscribes again and reports it.
	 */
	@Override
	public void onTaskCall(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		if (this.closed) {
			return;
		}
		try {
			this.consumer.expect(taskId);
		}
		catch (RuntimeException ex) {
			logger.debug("Result backend {}: could not subscribe for task {} before sending it: {}", maskedUrl(),
					taskId, ex.getMessage());
		}
	}

	@Override
	public void forget(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		String key = key(taskId);
		execute("DEL " + key, (commands) -> commands.del(key));
		this.consumer.forget(taskId);
	}

	@Override
	public void setChordSize(String groupId, int size) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		this.chords.setChordSize(groupId, size);
	}

	@Override
	public @Nullable List<ChordMember> onChordPartReturn(ChordPart part) {
		Assert.notNull(part, "'part' must not be null");
		return this.chords.onChordPartReturn(part);
	}

	@Override
	public void deleteChord(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		this.chords.deleteChord(groupId);
	}

	@Override
	public void ping() {
		String reply = execute("PING", RedisAsyncCommands::ping);
		if (!"PONG".equals(reply)) {
			throw new CeleryException("Result backend " + this.url + " answered PING with '" + reply + "'");
		}
	}

	@Override
	public String maskedUrl() {
		return this.url;
	}

	@Override
	public void saveGroup(String groupId, Object result) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		String key = RedisChords.groupKey(groupId, "");
		String json = GroupMetaCodec.encode(result);
		// Written and published as Celery's _save_group writes a result (SETEX and
		// PUBLISH); a group record has no status, so nothing is kept over it.
		storeRecord(key, json);
	}

	@Override
	public @Nullable Object restoreGroup(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		String key = RedisChords.groupKey(groupId, "");
		String json = execute("GET " + key, (commands) -> commands.get(key));
		if (json == null) {
			return null;
		}
		try {
			return GroupMetaCodec.decode(groupId, json);
		}
		catch (IllegalArgumentException ex) {
			throw new CeleryException("Result backend " + this.url + " (key " + key + "): " + ex.getMessage(), ex);
		}
	}

	@Override
	public void forgetGroup(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		String key = RedisChords.groupKey(groupId, "");
		execute("DEL " + key, (commands) -> commands.del(key));
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.consumer.close();
		this.chords.close();
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null) {
			current.close();
		}
		if (this.ownsFactory) {
			try {
				this.factory.destroy();
			}
			catch (RuntimeException ex) {
				logger.warn("Result backend {}: closing the connection factory failed: {}", this.url, ex.getMessage());
			}
		}
	}

	/**
	 * Return the Lettuce client of the factory.
	 * @return the client
	 */
	RedisClient client() {
		AbstractRedisClient client = this.factory.getNativeClient();
		if (client == null) {
			throw new IllegalStateException(
					"Result backend " + this.url + ": the LettuceConnectionFactory is not started yet");
		}
		if (!(client instanceof RedisClient redisClient)) {
			throw new IllegalArgumentException("Result backend " + this.url + " needs a standalone or Sentinel Redis; "
					+ client.getClass().getSimpleName() + " (Redis Cluster) is not supported, as in Celery");
		}
		return redisClient;
	}

	/**
	 * Return the shared command connection, connecting on first use (Lettuce reconnects
	 * it after that).
	 * @return the connection
	 */
	StatefulRedisConnection<String, String> connection() {
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			requireOpen();
			if (this.connection == null) {
				try {
					this.connection = client().connect(StringCodec.UTF8);
				}
				catch (RuntimeException ex) {
					throw failure("connect", ex);
				}
			}
			return this.connection;
		}
	}

	String url() {
		return this.url;
	}

	/**
	 * Return how many threads wait for a task.
	 * @param taskId the task id
	 * @return the number of waiting threads
	 */
	int waiting(String taskId) {
		return this.consumer.waiting(taskId);
	}

	private void requireOpen() {
		if (this.closed) {
			throw new IllegalStateException("Result backend " + this.url + " is closed");
		}
	}

	private <T> @Nullable T execute(String command, Function<RedisAsyncCommands<String, String>, RedisFuture<T>> call) {
		StatefulRedisConnection<String, String> connection = connection();
		RedisFuture<T> future;
		synchronized (this.dispatchLock) {
			try {
				future = call.apply(connection.async());
			}
			catch (RuntimeException ex) {
				throw failure(command, ex);
			}
		}
		return await(future, command, connection.getTimeout());
	}

	/**
	 * Wait for a reply, turning each way it can fail into an error naming this backend
	 * and the command.
	 */
	<T> T await(Future<T> future, String command, Duration timeout) {
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw failure(command, (ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			throw new CeleryException("Result backend " + this.url + ": " + command + " got no answer within "
					+ timeout.toMillis() + "ms", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CeleryException("Result backend " + this.url + ": interrupted during " + command, ex);
		}
	}

	CeleryException failure(String command, Throwable cause) {
		return new CeleryException("Result backend " + this.url + ": " + command + " failed: " + cause.getMessage(),
				cause);
	}

	@Override
	public String toString() {
		return "RedisResultBackend[" + this.url + "]";
	}

}
