package io.celery4j.beat.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.beat.BeatStore;
import io.celery4j.broker.BrokerUrl;
import io.celery4j.broker.redis.RedisConnectionFactories;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * Beat state on Redis, shared by every application instance on the same database:
 * <ul>
 * <li>{@code <prefix>:lock}, a string holding the leader's id, set with a TTL that the
 * leader keeps extending;</li>
 * <li>{@code <prefix>:last-run}, a hash of entry name to the entry's last run as an
 * ISO-8601 instant ({@code 2024-05-01T12:00:00Z}).</li>
 * </ul>
 * Every check-and-set is one Lua script, so a leader whose lock expired while it paused
 * cannot record (and therefore cannot send) a run another leader recorded.
 */
public final class RedisBeatStore implements BeatStore {

	/**
	 * Key prefix used when none is given.
	 */
	public static final String DEFAULT_KEY_PREFIX = "celery-beat";

	private static final RedisScript<Long> ACQUIRE = RedisScript.of("""
			local holder = redis.call('GET', KEYS[1])
			if not holder then
				redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
				return 1
			end
			if holder == ARGV[1] then
				redis.call('PEXPIRE', KEYS[1], ARGV[2])
				return 1
			end
			return 0
			""", Long.class);

	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
				return redis.call('DEL', KEYS[1])
			end
			return 0
			""", Long.class);

	private static final RedisScript<String> INITIALIZE = RedisScript.of("""
			redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
			return redis.call('HGET', KEYS[1], ARGV[1])
			""", String.class);

	private static final RedisScript<Long> ADVANCE = RedisScript.of("""
			if redis.call('GET', KEYS[1]) ~= ARGV[1] then
				return 0
			end
			if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[3] then
				return 0
			end
			redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
			return 1
			""", Long.class);

	private final StringRedisTemplate redis;

	private final String lockKey;

	private final String lastRunKey;

	private final String description;

	private final @Nullable LettuceConnectionFactory ownedFactory;

	/**
	 * Create a store on a connection factory the caller owns.
	 * @param factory the connection factory
	 * @param keyPrefix the prefix of the store's keys
	 * @param description what {@link #description()} returns (must not contain a
	 * password)
	 */
	public RedisBeatStore(RedisConnectionFactory factory, String keyPrefix, String description) {
		this(factory, keyPrefix, description, null);
	}

	private RedisBeatStore(RedisConnectionFactory factory, String keyPrefix, String description,
			@Nullable LettuceConnectionFactory ownedFactory) {
		Assert.notNull(factory, "'factory' must not be null");
		Assert.hasText(keyPrefix, "'keyPrefix' must not be empty");
		Assert.hasText(description, "'description' must not be empty");
		this.redis = new StringRedisTemplate(factory);
		this.lockKey = keyPrefix + ":lock";
		this.lastRunKey = keyPrefix + ":last-run";
		this.description = description;
		this.ownedFactory = ownedFactory;
	}

	/**
	 * Create a store with its own connections to a Redis URL; {@link #close()} closes
	 * them.
	 * @param url a {@code redis://} or {@code rediss://} URL
	 * @param keyPrefix the prefix of the store's keys
	 * @return the store
	 */
	public static RedisBeatStore create(String url, String keyPrefix) {
		BrokerUrl parsed = BrokerUrl.parse(url);
		LettuceConnectionFactory factory = RedisConnectionFactories.create(parsed);
		return new RedisBeatStore(factory, keyPrefix, parsed.masked(), factory);
	}

	@Override
	public boolean acquire(String owner, Duration timeout) {
		Long acquired = this.redis.execute(ACQUIRE, List.of(this.lockKey), owner,
				String.valueOf(Math.max(1, timeout.toMillis())));
		return acquired != null && acquired == 1;
	}

	@Override
	public void release(String owner) {
		this.redis.execute(RELEASE, List.of(this.lockKey), owner);
	}

	@Override
	public Map<String, Instant> lastRuns() {
		Map<Object, Object> stored = this.redis.opsForHash().entries(this.lastRunKey);
		Map<String, Instant> lastRuns = new LinkedHashMap<>();
		stored.forEach((entry, lastRun) -> lastRuns.put((String) entry, Instant.parse((String) lastRun)));
		return lastRuns;
	}

	@Override
	public Instant initialize(String entry, Instant lastRun) {
		String stored = this.redis.execute(INITIALIZE, List.of(this.lastRunKey), entry, lastRun.toString());
		return (stored != null) ? Instant.parse(stored) : lastRun;
	}

	@Override
	public boolean advance(String owner, String entry, Instant expected, Instant lastRun) {
		Long advanced = this.redis.execute(ADVANCE, List.of(this.lockKey, this.lastRunKey), owner, entry,
				expected.toString(), lastRun.toString());
		return advanced != null && advanced == 1;
	}

	/**
	 * Return the id of the scheduler holding the leader lock.
	 * @return the leader's id, or {@code null} when nobody leads
	 */
	public @Nullable String leader() {
		return this.redis.opsForValue().get(this.lockKey);
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public void close() {
		if (this.ownedFactory != null) {
			this.ownedFactory.destroy();
		}
	}

}
