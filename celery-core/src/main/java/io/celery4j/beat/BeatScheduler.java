package io.celery4j.beat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.worker.NodeNames;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.Assert;

/**
 * Celery beat inside the application: sends each {@link ScheduleEntry}'s task through the
 * {@link CeleryClient} when it is due. Counterpart of {@code celery.beat.Scheduler}.
 * <p>
 * Schedulers sharing a {@link BeatStore} elect one leader through a lock with a timeout
 * that the leader renews every third of it; the others check every third of it (at most
 * every second) and take over once the lock is released (on stop) or has expired (the
 * leader died). The store keeps every entry's last run: a new leader sends what is due
 * since then, once, even when several runs were missed (as Celery does), and a run is
 * recorded with a check-and-set before its task is sent, so no run is sent twice.
 * <p>
 * A {@link SmartLifecycle} in a late phase: it starts after the worker and stops before
 * it, giving the lock up so another instance takes over at once.
 */
public class BeatScheduler implements SmartLifecycle {

	/**
	 * Phase of beat: after the worker ({@code Integer.MAX_VALUE - 100}) on start, before
	 * it on stop.
	 */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 50;

	/**
	 * Lock timeout used when none is given.
	 */
	public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration MAX_POLL = Duration.ofSeconds(1);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(BeatScheduler.class);

	private final CeleryClient client;

	private final BeatStore store;

	private final Duration lockTimeout;

	private final Clock clock;

	private final String owner;

	private final List<ScheduleEntry> entries = new CopyOnWriteArrayList<>();

	private final List<BeatListener> listeners = new CopyOnWriteArrayList<>();

	private final Map<String, Instant> lastRuns = new ConcurrentHashMap<>();

	private final Object lifecycleMonitor = new Object();

	private volatile boolean leader;

	private volatile boolean running;

	private boolean storeFailing;

	private boolean reload;

	private Instant renewAt = Instant.MIN;

	private Instant refreshAt = Instant.MIN;

	private @Nullable ScheduledThreadPoolExecutor executor;

	/**
	 * Create a scheduler on the system clock.
	 * @param client sends the due tasks
	 * @param store shares leadership and last runs with other schedulers
	 * @param lockTimeout how long the leader lock lasts without renewal: the longest a
	 * dead leader's runs wait for another instance
	 */
	public BeatScheduler(CeleryClient client, BeatStore store, Duration lockTimeout) {
		this(client, store, lockTimeout, Clock.systemUTC());
	}

	/**
	 * Create a scheduler.
	 * @param client sends the due tasks
	 * @param store shares leadership and last runs with other schedulers
	 * @param lockTimeout how long the leader lock lasts without renewal
	 * @param clock the clock schedules are read by
	 */
	public BeatScheduler(CeleryClient client, BeatStore store, Duration lockTimeout, Clock clock) {
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(lockTimeout, "'lockTimeout' must not be null");
		Assert.isTrue(lockTimeout.toMillis() >= 3, () -> "'lockTimeout' must be at least 3ms, got " + lockTimeout);
		Assert.notNull(clock, "'clock' must not be null");
		this.client = client;
		this.store = store;
		this.lockTimeout = lockTimeout;
		this.clock = clock;
		this.owner = "beat@" + NodeNames.hostname() + ":" + ProcessHandle.current().pid() + ":"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Add an entry to the schedule.
	 * @param entry the entry
	 * @throws IllegalStateException if an entry with the same name exists
	 */
	public void register(ScheduleEntry entry) {
		Assert.notNull(entry, "'entry' must not be null");
		synchronized (this.entries) {
			for (ScheduleEntry existing : this.entries) {
				Assert.state(!existing.name().equals(entry.name()),
						() -> "Schedule entry '" + entry.name() + "' is declared twice: " + existing + " and " + entry
								+ ". Give one of them a different name.");
			}
			this.entries.add(entry);
		}
	}

	/**
	 * Add a listener.
	 * @param listener called on firings and leadership changes
	 */
	public void addListener(BeatListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
	}

	/**
	 * Return the schedule.
	 * @return the entries, in the order they were registered
	 */
	public List<ScheduleEntry> getEntries() {
		return List.copyOf(this.entries);
	}

	/**
	 * Return where each entry stands: last run and next run. Answers from memory, never
	 * waiting on the store: the leader's own record, or the copy other instances refresh
	 * every third of the lock timeout.
	 * @return one item per entry, in the order they were registered
	 */
	public List<NextRun> nextRuns() {
		Map<String, Instant> recorded = Map.copyOf(this.lastRuns);
		Instant now = this.clock.instant();
		List<NextRun> nextRuns = new ArrayList<>();
		for (ScheduleEntry entry : this.entries) {
			Instant lastRun = recorded.get(entry.name());
			Schedule schedule = entry.schedule();
			Instant nextRun = schedule.nextRun((lastRun != null) ? lastRun : schedule.initialLastRun(now));
			nextRuns.add(new NextRun(entry.name(), entry.task(), schedule.toString(), lastRun, nextRun));
		}
		return nextRuns;
	}

	/**
	 * Return whether this scheduler is the leader that sends due tasks.
	 * @return whether it leads
	 */
	public boolean isLeader() {
		return this.leader;
	}

	/**
	 * Return this scheduler's id, the value of the leader lock while it leads.
	 * @return for example {@code beat@host:4242:1a2b3c4d}
	 */
	public String getOwner() {
		return this.owner;
	}

	/**
	 * Return the lock timeout.
	 * @return how long the leader lock lasts without renewal
	 */
	public Duration getLockTimeout() {
		return this.lockTimeout;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			if (this.entries.isEmpty()) {
				logger.debug("beat: no schedule entries; not started");
				return;
			}
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "celery-beat");
				thread.setDaemon(true);
				return thread;
			});
			executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			this.executor = executor;
			this.running = true;
			logger.info("beat: Starting... {} schedule entries, store {}, lock timeout {}s", this.entries.size(),
					this.store.description(), this.lockTimeout.toMillis() / 1000.0);
			executor.execute(this::loop);
		}
	}

	private void loop() {
		if (!this.running) {
			return;
		}
		Duration delay;
		try {
			delay = tick();
		}
		catch (RuntimeException ex) {
			logger.error("beat: unexpected error; retrying", ex);
			delay = pollInterval();
		}
		ScheduledThreadPoolExecutor executor = this.executor;
		if (this.running && executor != null) {
			try {
				executor.schedule(this::loop, delay.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Stopping.
			}
		}
	}

	/**
	 * Run one iteration, Celery's {@code Scheduler.tick}: hold or seek leadership and,
	 * while leading, send every due task.
	 * @return how long to wait before the next iteration
	 */
	Duration tick() {
		Instant now = this.clock.instant();
		if (!holdLeadership(now)) {
			return pollInterval();
		}
		Instant wake = this.renewAt;
		for (ScheduleEntry entry : this.entries) {
			Instant next;
			try {
				next = runIfDue(entry, now);
			}
			catch (RuntimeException ex) {
				storeFailed(ex);
				setLeader(false);
				return pollInterval();
			}
			if (next == null) {
				// Another scheduler recorded this run, or our lock expired: check again.
				this.reload = true;
				this.renewAt = Instant.MIN;
				return pollInterval();
			}
			if (next.isBefore(wake)) {
				wake = next;
			}
		}
		Duration delay = Duration.between(this.clock.instant(), wake);
		return delay.isNegative() ? Duration.ZERO : delay;
	}

	private @Nullable Instant runIfDue(ScheduleEntry entry, Instant now) {
		Schedule schedule = entry.schedule();
		Instant lastRun = this.lastRuns.get(entry.name());
		if (lastRun == null) {
			lastRun = this.store.initialize(entry.name(), schedule.initialLastRun(now));
			this.lastRuns.put(entry.name(), lastRun);
		}
		Instant due = schedule.nextRun(lastRun);
		if (due.isAfter(now)) {
			return due;
		}
		// Runs missed entirely (beat was down) are sent once, then counted from now.
		Instant recorded = schedule.nextRun(due).isAfter(now) ? due : now;
		if (!this.store.advance(this.owner, entry.name(), lastRun, recorded)) {
			return null;
		}
		this.lastRuns.put(entry.name(), recorded);
		send(entry, due);
		return schedule.nextRun(recorded);
	}

	private void send(ScheduleEntry entry, Instant due) {
		SendOptions options = SendOptions.defaults();
		if (entry.queue() != null) {
			options = options.queue(entry.queue());
		}
		if (entry.expires() != null) {
			options = options.expires(entry.expires());
		}
		try {
			AsyncResult result = this.client.send(entry.task(), entry.args(), entry.kwargs(), options);
			Duration lag = Duration.between(due, this.clock.instant());
			Duration positiveLag = lag.isNegative() ? Duration.ZERO : lag;
			logger.debug("Scheduler: Sent due task {} ({}) id {}", entry.name(), entry.task(), result.getId());
			this.listeners.forEach((listener) -> listener.fired(entry, result.getId(), due, positiveLag));
		}
		catch (RuntimeException ex) {
			logger.error("Scheduler: Couldn't apply scheduled task {} ({}): {}", entry.name(), entry.task(),
					ex.toString());
			this.listeners.forEach((listener) -> listener.failed(entry, due, ex));
		}
	}

	private boolean holdLeadership(Instant now) {
		if (this.leader && now.isBefore(this.renewAt)) {
			return true;
		}
		boolean acquired;
		try {
			acquired = this.store.acquire(this.owner, this.lockTimeout);
			if (acquired && (!this.leader || this.reload)) {
				this.lastRuns.clear();
				this.lastRuns.putAll(this.store.lastRuns());
				this.reload = false;
			}
			else if (!acquired && !now.isBefore(this.refreshAt)) {
				// Followers keep a recent copy for nextRuns().
				Map<String, Instant> fresh = this.store.lastRuns();
				this.lastRuns.keySet().retainAll(fresh.keySet());
				this.lastRuns.putAll(fresh);
				this.refreshAt = now.plus(this.lockTimeout.dividedBy(3));
			}
			storeAnswered();
		}
		catch (RuntimeException ex) {
			storeFailed(ex);
			acquired = false;
		}
		if (acquired) {
			this.renewAt = now.plus(this.lockTimeout.dividedBy(3));
		}
		setLeader(acquired);
		return acquired;
	}

	private void setLeader(boolean leader) {
		if (this.leader == leader) {
			return;
		}
		this.leader = leader;
		if (leader) {
			logger.info("beat: leadership gained by {}; sending due tasks", this.owner);
		}
		else {
			this.refreshAt = Instant.MIN;
			logger.info("beat: leadership lost by {}", this.owner);
		}
		this.listeners.forEach((listener) -> listener.leadershipChanged(leader));
	}

	private void storeFailed(RuntimeException ex) {
		if (!this.storeFailing) {
			this.storeFailing = true;
			logger.warn("beat: cannot reach {}: {}; retrying", this.store.description(),
					NestedExceptionUtils.getMostSpecificCause(ex).toString());
		}
	}

	private void storeAnswered() {
		if (this.storeFailing) {
			this.storeFailing = false;
			logger.warn("beat: {} answers again", this.store.description());
		}
	}

	private Duration pollInterval() {
		Duration third = this.lockTimeout.dividedBy(3);
		return (third.compareTo(MAX_POLL) < 0) ? third : MAX_POLL;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		ScheduledThreadPoolExecutor executor;
		synchronized (this.lifecycleMonitor) {
			this.running = false;
			executor = this.executor;
			this.executor = null;
		}
		if (executor != null) {
			executor.shutdown();
			try {
				if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
					executor.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		releaseLeadership();
		if (executor != null) {
			logger.info("beat: stopped");
		}
		callback.run();
	}

	private void releaseLeadership() {
		if (this.leader) {
			try {
				this.store.release(this.owner);
			}
			catch (RuntimeException ex) {
				logger.warn(
						"beat: could not release the lock on {}: {}; another instance takes over once it " + "expires",
						this.store.description(), ex.toString());
			}
			setLeader(false);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

}
