package io.celery4j.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.celery4j.CeleryException;
import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chord bookkeeping of the Redis result backend, with Celery's own keys and commands
 * (PROTOCOL.md 4.4), so that Java and Python workers count the same header:
 * {@code celery-taskset-meta-<group id>.s} holds the header size (written by the client),
 * {@code .j} is a sorted set of finished members {@code [1, "<id>", "<state>", <result>]}
 * scored by group index, {@code .t} counts members added at run time. Each finished
 * member is added and counted in one {@code MULTI}/{@code EXEC}, so exactly one worker,
 * whichever language, sees the count reach the size and completes the chord. Counterpart
 * of the chord part of Celery's {@code RedisBackend} ({@code result_chord_ordered} on,
 * Celery's default).
 * <p>
 * Runs on a connection of its own, opened on first use, so that its transactions never
 * wait behind the result writes of the shared one.
 */
final class RedisChords implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisChords.class);

	/** Prefix of group keys: saved group results and the chord keys beside them. */
	static final String GROUP_KEY_PREFIX = "celery-taskset-meta-";

	private final RedisResultBackend backend;

	private final long expiresMillis;

	/** Guards dispatching on the connection, so that a transaction is never split. */
	private final Object dispatchLock = new Object();

	private volatile @Nullable StatefulRedisConnection<String, String> connection;

	private volatile boolean closed;

	RedisChords(RedisResultBackend backend, Duration expires) {
		this.backend = backend;
		this.expiresMillis = expires.toMillis();
	}

	static String groupKey(String groupId, String suffix) {
		return GROUP_KEY_PREFIX + groupId + suffix;
	}

	void setChordSize(String groupId, int size) {
		String key = groupKey(groupId, ".s");
		String value = Integer.toString(size);
		// As Celery's set(): the value is also published, like a result.
		transaction("MULTI/SET/PUBLISH/EXEC " + key, (commands) -> {
			if (this.expiresMillis <= 0) {
				commands.set(key, value);
			}
			else if (this.expiresMillis % 1000 == 0) {
				commands.setex(key, this.expiresMillis / 1000, value);
			}
			else {
				commands.psetex(key, this.expiresMillis, value);
			}
			commands.publish(key, value);
		});
	}

	@Nullable List<ChordMember> onChordPartReturn(ChordPart part) {
		String groupId = part.groupId();
		String jkey = groupKey(groupId, ".j");
		String tkey = groupKey(groupId, ".t");
		String skey = groupKey(groupId, ".s");
		double score = (part.groupIndex() != null) ? part.groupIndex() : Double.POSITIVE_INFINITY;
		String member = part.member().encode();
		TransactionResult counted = transaction("MULTI/ZADD/ZCOUNT/GET/GET/EXPIRE/EXEC " + jkey, (commands) -> {
			commands.zadd(jkey, score, member);
			commands.zcount(jkey, Range.unbounded());
			commands.get(tkey);
			commands.get(skey);
			expire(commands, jkey);
			expire(commands, tkey);
			expire(commands, skey);
		});
		long ready = ((Number) counted.get(1)).longValue();
		String added = counted.get(2);
		String size = counted.get(3);
		if (size == null) {
			// As Celery: without a size the chord cannot complete; the client writes it.
			logger.debug("Chord {}: no size in {}; task {} counted ({} finished)", groupId, skey, part.taskId(), ready);
			return null;
		}
		long total = parse(size, skey) + ((added != null) ? parse(added, tkey) : 0);
		if (ready != total) {
			return null;
		}
		TransactionResult range = transaction("MULTI/ZRANGE/EXEC " + jkey, (commands) -> commands.zrange(jkey, 0, -1));
		List<String> stored = range.get(0);
		List<ChordMember> members = new ArrayList<>(stored.size());
		stored.forEach((json) -> members.add(ChordMember.decode(groupId, json)));
		return members;
	}

	void deleteChord(String groupId) {
		transaction("MULTI/DEL/DEL/DEL/EXEC " + groupKey(groupId, ".j"), (commands) -> {
			commands.del(groupKey(groupId, ".j"));
			commands.del(groupKey(groupId, ".t"));
			commands.del(groupKey(groupId, ".s"));
		});
	}

	private void expire(RedisAsyncCommands<String, String> commands, String key) {
		if (this.expiresMillis <= 0) {
			return;
		}
		if (this.expiresMillis % 1000 == 0) {
			commands.expire(key, this.expiresMillis / 1000);
		}
		else {
			commands.pexpire(key, this.expiresMillis);
		}
	}

	private long parse(String value, String key) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new CeleryException("Result backend " + this.backend.url() + ": " + key
					+ " must hold a whole number (the chord size), got '" + value + "'");
		}
	}

	private TransactionResult transaction(String command, Consumer<RedisAsyncCommands<String, String>> body) {
		StatefulRedisConnection<String, String> connection = connection();
		RedisAsyncCommands<String, String> commands = connection.async();
		RedisFuture<TransactionResult> exec;
		synchronized (this.dispatchLock) {
			try {
				commands.multi();
			}
			catch (RuntimeException ex) {
				throw failure(command, ex);
			}
			try {
				body.accept(commands);
				exec = commands.exec();
			}
			catch (RuntimeException ex) {
				try {
					// Leave no half-open MULTI on the connection.
					commands.discard();
				}
				catch (RuntimeException discardFailure) {
					logger.debug("DISCARD failed: {}", discardFailure.getMessage());
				}
				throw failure(command, ex);
			}
		}
		TransactionResult result = await(exec, command, connection.getTimeout());
		if (result.wasDiscarded()) {
			throw new CeleryException("Result backend " + this.backend.url() + ": " + command + " was discarded");
		}
		for (Object reply : result) {
			if (reply instanceof Exception error) {
				throw failure(command, error);
			}
		}
		return result;
	}

	private StatefulRedisConnection<String, String> connection() {
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.closed) {
				throw new IllegalStateException("Result backend " + this.backend.url() + " is closed");
			}
			if (this.connection == null) {
				try {
					this.connection = this.backend.client().connect(StringCodec.UTF8);
				}
				catch (RuntimeException ex) {
					throw failure("connect", ex);
				}
			}
			return this.connection;
		}
	}

	private <T> T await(RedisFuture<T> future, String command, Duration timeout) {
		return this.backend.await(future, command, timeout);
	}

	private CeleryException failure(String command, Throwable cause) {
		return this.backend.failure(command, cause);
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null) {
			current.close();
		}
	}

}
