package io.celery4j.backend.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Stores a result record in one command: the Lua script reads the key, leaves a stored
 * SUCCESS alone, otherwise writes the record ({@code SET}, {@code SETEX} or
 * {@code PSETEX}) and publishes it on the key's channel. Celery does the same with a
 * {@code GET} and then {@code MULTI; SETEX; PUBLISH; EXEC}, two round trips and five
 * commands; the stored and published bytes are the same, and the check and the write can
 * no longer be split by another client.
 */
final class StoreScript {

	/**
	 * KEYS[1] the key; ARGV[1] the record, ARGV[2] the expiry, ARGV[3] its unit
	 * ({@code s}, {@code ms}, or {@code 0} for none). Returns 1 when stored, 0 when a
	 * SUCCESS was kept.
	 */
	static final String SOURCE = """
			local current = redis.call('GET', KEYS[1])
			if current then
			  local ok, meta = pcall(cjson.decode, current)
			  if ok and type(meta) == 'table' and meta['status'] == 'SUCCESS' then
			    return 0
			  end
			  if not ok and string.find(current, '"status": "SUCCESS"', 1, true) then
			    return 0
			  end
			end
			if ARGV[3] == 's' then
			  redis.call('SETEX', KEYS[1], ARGV[2], ARGV[1])
			elseif ARGV[3] == 'ms' then
			  redis.call('PSETEX', KEYS[1], ARGV[2], ARGV[1])
			else
			  redis.call('SET', KEYS[1], ARGV[1])
			end
			redis.call('PUBLISH', KEYS[1], ARGV[1])
			return 1
			""";

	static final String SHA = sha1(SOURCE);

	private final String expiry;

	private final String unit;

	/**
	 * Prepare the arguments for an expiry as Celery sets it: whole seconds with
	 * {@code SETEX}, a finer one with {@code PSETEX} rather than rounded, none with a
	 * plain {@code SET}.
	 * @param expiresMillis the expiry in milliseconds, 0 or less for none
	 */
	StoreScript(long expiresMillis) {
		if (expiresMillis <= 0) {
			this.expiry = "0";
			this.unit = "0";
		}
		else if (expiresMillis % 1000 == 0) {
			this.expiry = Long.toString(expiresMillis / 1000);
			this.unit = "s";
		}
		else {
			this.expiry = Long.toString(expiresMillis);
			this.unit = "ms";
		}
	}

	/**
	 * Send the script by its SHA.
	 */
	RedisFuture<Long> runCached(RedisAsyncCommands<String, String> commands, String key, String json) {
		return commands.evalsha(SHA, ScriptOutputType.INTEGER, new String[] { key }, json, this.expiry, this.unit);
	}

	/**
	 * Send the script's source, when the server's script cache does not have it (after a
	 * restart or {@code SCRIPT FLUSH}); Redis caches it again.
	 */
	RedisFuture<Long> runSource(RedisAsyncCommands<String, String> commands, String key, String json) {
		return commands.eval(SOURCE, ScriptOutputType.INTEGER, new String[] { key }, json, this.expiry, this.unit);
	}

	private static String sha1(String source) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available in this JVM", ex);
		}
	}

}
