package io.celery4j.beat.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celery4j.beat.BeatStore;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Beat state in this JVM only: the leader lock and last runs live in memory, so
 * schedulers of one process share them and nothing survives a restart (as Celery beat
 * without its schedule file). Used with the {@code memory://} broker.
 */
public final class MemoryBeatStore implements BeatStore {

	private final Clock clock;

	private final Map<String, Instant> lastRuns = new LinkedHashMap<>();

	private @Nullable String owner;

	private Instant lockExpiry = Instant.MIN;

	/**
	 * Create a store on the system clock.
	 */
	public MemoryBeatStore() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a store whose lock expires by the given clock.
	 * @param clock the clock
	 */
	public MemoryBeatStore(Clock clock) {
		Assert.notNull(clock, "'clock' must not be null");
		this.clock = clock;
	}

	@Override
	public synchronized boolean acquire(String owner, Duration timeout) {
		Instant now = this.clock.instant();
		if (this.owner == null || this.owner.equals(owner) || !now.isBefore(this.lockExpiry)) {
			this.owner = owner;
			this.lockExpiry = now.plus(timeout);
			return true;
		}
		return false;
	}

	@Override
	public synchronized void release(String owner) {
		if (owner.equals(this.owner)) {
			this.owner = null;
			this.lockExpiry = Instant.MIN;
		}
	}

	@Override
	public synchronized Map<String, Instant> lastRuns() {
		return new LinkedHashMap<>(this.lastRuns);
	}

	@Override
	public synchronized Instant initialize(String entry, Instant lastRun) {
		return this.lastRuns.computeIfAbsent(entry, (name) -> lastRun);
	}

	@Override
	public synchronized boolean advance(String owner, String entry, Instant expected, Instant lastRun) {
		boolean leads = owner.equals(this.owner) && this.clock.instant().isBefore(this.lockExpiry);
		if (!leads || !expected.equals(this.lastRuns.get(entry))) {
			return false;
		}
		this.lastRuns.put(entry, lastRun);
		return true;
	}

	@Override
	public String description() {
		return "memory://";
	}

	@Override
	public void close() {
	}

}
