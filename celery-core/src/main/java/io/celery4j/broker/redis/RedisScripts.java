package io.celery4j.broker.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * The Lua scripts of the Redis broker, run with {@code EVALSHA} and loaded with
 * {@code EVAL} when the server does not know them yet.
 */
final class RedisScripts {

	/**
	 * Take up to {@code ARGV[1]} messages without blocking from lists given grouped by
	 * priority step ({@code ARGV[2]} queues per step): lower steps first, one message per
	 * queue per pass inside a step, as consecutive {@code BRPOP}s with kombu's queue
	 * rotation would; and record each one in kombu's {@code unacked_index} (score
	 * {@code ARGV[3]}) and {@code unacked} in the same script, so that no moment exists
	 * in which a taken message is in neither the queue nor {@code unacked} (a worker
	 * killed between a pop and a separate record would lose the batch; kombu has that
	 * window). KEYS: the lists, then {@code unacked_index} and {@code unacked}; ARGV
	 * after the third: the queue name of each list of a step (the default routing key).
	 * <p>
	 * The entry is {@code [<message>, "<exchange>", "<routing_key>"]} with the message as
	 * taken, as {@link UnackedEntry#write(byte[], String, String)} writes it. A message
	 * the script cannot record exactly (not a JSON object, no delivery tag, or an
	 * exchange or routing key that Python's {@code json.dumps} would escape) is left to
	 * the caller. Returns {@code [key, message, tag, ...]} with the tag recorded, or
	 * {@code ""}.
	 */
	static final RedisScripts POP = new RedisScripts("""
			local max = tonumber(ARGV[1])
			local width = tonumber(ARGV[2])
			local now = ARGV[3]
			local lists = #KEYS - 2
			local index_key = KEYS[lists + 1]
			local unacked_key = KEYS[lists + 2]
			local function plain(value)
			  return type(value) == 'string' and not string.find(value, '[%c"\\\\\\128-\\255]')
			end
			local function record(message, queue)
			  if string.sub(message, 1, 1) ~= '{' then
			    return ''
			  end
			  local ok, envelope = pcall(cjson.decode, message)
			  if not ok or type(envelope) ~= 'table' or type(envelope.properties) ~= 'table' then
			    return ''
			  end
			  local tag = envelope.properties.delivery_tag
			  if type(tag) ~= 'string' or tag == '' then
			    return ''
			  end
			  local info = envelope.properties.delivery_info
			  local exchange = ''
			  local routing_key = queue
			  if type(info) == 'table' then
			    if info.exchange ~= nil then exchange = info.exchange end
			    if info.routing_key ~= nil then routing_key = info.routing_key end
			  end
			  if not plain(exchange) or not plain(routing_key) then
			    return ''
			  end
			  redis.call('ZADD', index_key, now, tag)
			  redis.call('HSET', unacked_key, tag, '[' .. message .. ', "' .. exchange .. '", "' .. routing_key .. '"]')
			  return tag
			end
			local out = {}
			local count = 0
			for base = 0, lists - 1, width do
			  local live = width
			  local empty = {}
			  while live > 0 and count < max do
			    for i = 1, width do
			      if not empty[i] and count < max then
			        local key = KEYS[base + i]
			        local message = redis.call('RPOP', key)
			        if message then
			          count = count + 1
			          out[#out + 1] = key
			          out[#out + 1] = message
			          out[#out + 1] = record(message, ARGV[3 + i])
			        else
			          empty[i] = true
			          live = live - 1
			        end
			      end
			    end
			  end
			  if count >= max then
			    break
			  end
			end
			return out
			""");

	/**
	 * Record fetched messages as unacknowledged, kombu's {@code ZADD unacked_index <now>
	 * <tag>} and {@code HSET unacked <tag> <entry>} for a whole batch, atomically as
	 * kombu's {@code MULTI}/{@code EXEC}. KEYS: {@code unacked_index}, {@code unacked};
	 * ARGV: the score, then tag and entry pairs (at most a few hundred).
	 */
	static final RedisScripts RECORD = new RedisScripts("""
			local scores = {}
			local entries = {}
			for i = 2, #ARGV, 2 do
			  scores[#scores + 1] = ARGV[1]
			  scores[#scores + 1] = ARGV[i]
			  entries[#entries + 1] = ARGV[i]
			  entries[#entries + 1] = ARGV[i + 1]
			end
			redis.call('ZADD', KEYS[1], unpack(scores))
			redis.call('HSET', KEYS[2], unpack(entries))
			return (#ARGV - 1) / 2
			""");

	/**
	 * Acknowledge messages, kombu's {@code ZREM unacked_index <tag>} and
	 * {@code HDEL unacked <tag>}, for several tags at once and atomically as kombu's
	 * {@code MULTI}/{@code EXEC}. KEYS: {@code unacked_index}, {@code unacked}; ARGV: the
	 * tags.
	 */
	static final RedisScripts ACK = new RedisScripts("""
			for i = 1, #ARGV, 1000 do
			  local last = math.min(i + 999, #ARGV)
			  redis.call('ZREM', KEYS[1], unpack(ARGV, i, last))
			  redis.call('HDEL', KEYS[2], unpack(ARGV, i, last))
			end
			return #ARGV
			""");

	/**
	 * Delete a lock only while it holds the caller's token: the release script of
	 * redis-py's {@code Lock}, which kombu uses for {@code unacked_mutex}, byte for byte
	 * (so both share one cached script, SHA {@code c3f8721c...}).
	 */
	static final RedisScripts RELEASE_LOCK = new RedisScripts("\n        local token = redis.call('get', KEYS[1])\n"
			+ "        if not token or token ~= ARGV[1] then\n            return 0\n        end\n"
			+ "        redis.call('del', KEYS[1])\n        return 1\n    ");

	private final byte[] source;

	private final String sha;

	private RedisScripts(String source) {
		this.source = source.getBytes(StandardCharsets.UTF_8);
		this.sha = sha1(this.source);
	}

	String sha() {
		return this.sha;
	}

	String source() {
		return new String(this.source, StandardCharsets.UTF_8);
	}

	/**
	 * Run the script by its SHA, sending the source only when the server's script cache
	 * does not have it.
	 */
	<T> @Nullable T run(RedisConnection connection, ReturnType returnType, int numKeys, byte[]... keysAndArgs) {
		try {
			return connection.scriptingCommands().evalSha(this.sha, returnType, numKeys, keysAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands().eval(this.source, returnType, numKeys, keysAndArgs);
		}
	}

	/**
	 * Run the script by its SHA on a native Lettuce connection without waiting, sending
	 * the source only when the server's script cache does not have it.
	 */
	<T> CompletableFuture<T> runAsync(RedisAsyncCommands<byte[], byte[]> commands, ScriptOutputType type, byte[][] keys,
			byte[]... args) {
		CompletableFuture<T> cached;
		try {
			cached = commands.<T>evalsha(this.sha, type, keys, args).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return cached.handle((result, ex) -> {
			if (ex == null) {
				return CompletableFuture.completedFuture(result);
			}
			if (!isNoScript(ex)) {
				return CompletableFuture.<T>failedFuture(ex);
			}
			return commands.<T>eval(this.source, type, keys, args).toCompletableFuture();
		}).thenCompose((future) -> future);
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	private static String sha1(byte[] source) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available in this JVM", ex);
		}
	}

}
