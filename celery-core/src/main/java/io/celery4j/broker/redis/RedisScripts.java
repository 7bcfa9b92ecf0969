package io.celery4j.broker.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
	 * rotation would. Returns {@code [key, message, key, message, ...]}.
	 */
	static final RedisScripts POP = new RedisScripts("""
			local max = tonumber(ARGV[1])
			local width = tonumber(ARGV[2])
			local out = {}
			local count = 0
			for base = 0, #KEYS - 1, width do
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
