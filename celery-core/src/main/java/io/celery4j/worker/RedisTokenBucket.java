package io.celery4j.worker;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.celery4j.task.RateLimit;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * A token bucket shared by every worker on one Redis, for tasks whose rate limit has
 * {@link RateLimit.Scope#GLOBAL global} scope. Celery has no equivalent: its limits count
 * per worker. The bucket is the hash {@code celery4j.rate-limit.<task name>} (fields
 * {@code tokens} and {@code ts}) on the broker's database; one Lua script refills and
 * takes atomically with the Redis server's clock, so workers on different hosts need no
 * synchronised clocks. Like Celery's per-worker bucket it holds at most one token: no
 * bursts.
 */
final class RedisTokenBucket implements TokenBucket {

	/**
	 * Key prefix of the shared buckets.
	 */
	static final String KEY_PREFIX = "celery4j.rate-limit.";

	// Returns 0 when a token was taken, else the microseconds until one is there.
	private static final byte[] SCRIPT = """
			local rate = tonumber(ARGV[1])
			local time = redis.call('TIME')
			local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
			local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
			local tokens = tonumber(state[1]) or 1
			local ts = tonumber(state[2]) or now
			tokens = math.min(1, tokens + math.max(0, now - ts) * rate)
			local wait = 0
			if tokens >= 1 then
			  tokens = tokens - 1
			else
			  wait = math.ceil((1 - tokens) / rate * 1000000)
			end
			redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
			redis.call('PEXPIRE', KEYS[1], math.ceil(1000 / rate) + 1000)
			return wait
			""".getBytes(StandardCharsets.UTF_8);

	private final RedisConnectionFactory factory;

	private final byte[] key;

	private final byte[] rate;

	RedisTokenBucket(RedisConnectionFactory factory, String taskName, RateLimit limit) {
		this.factory = factory;
		this.key = (KEY_PREFIX + taskName).getBytes(StandardCharsets.UTF_8);
		this.rate = String.format(Locale.ROOT, "%.9f", limit.perSecond()).getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public long tryTake() {
		try (RedisConnection connection = this.factory.getConnection()) {
			Long micros = connection.scriptingCommands().eval(SCRIPT, ReturnType.INTEGER, 1, this.key, this.rate);
			return (micros != null) ? micros * 1000 : 0;
		}
	}

}
