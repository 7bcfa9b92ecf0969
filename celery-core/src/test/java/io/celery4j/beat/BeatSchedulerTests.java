package io.celery4j.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.backend.memory.MemoryResultBackend;
import io.celery4j.beat.memory.MemoryBeatStore;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.client.CeleryClient;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class BeatSchedulerTests {

	private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(3);

	private final MutableClock clock = new MutableClock(T0);

	private final MemoryBroker broker = new MemoryBroker();

	private final CeleryClient client = new CeleryClient(this.broker, new MemoryResultBackend(Duration.ofDays(1)),
			new TaskRouter(Map.of(), new TaskRegistry(), "celery"), ZoneOffset.UTC);

	private final MemoryBeatStore store = new MemoryBeatStore(this.clock);

	private final List<BeatScheduler> schedulers = new ArrayList<>();

	@AfterEach
	void stop() {
		this.schedulers.forEach(BeatScheduler::stop);
		this.broker.close();
	}

	@Test
	void sendsNothingBeforeTheFirstRunIsDue() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		beat.tick();
		this.clock.advance(Duration.ofMillis(9999));
		beat.tick();
		assertThat(sent("celery")).isEmpty();
	}

	@Test
	void sendsTheTaskWhenItIsDue() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		beat.tick();
		this.clock.advance(Duration.ofSeconds(10));
		beat.tick();
		assertThat(sent("celery")).extracting(TaskMessage::taskName).containsExactly("tasks.tick");
	}

	@Test
	void sendsEachRunOnceHoweverOftenItTicks() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		beat.tick();
		this.clock.advance(Duration.ofSeconds(10));
		beat.tick();
		beat.tick();
		this.clock.advance(Duration.ofMillis(500));
		beat.tick();
		assertThat(sent("celery")).hasSize(1);
	}

	@Test
	void waitsUntilTheNextRunOrTheNextLockRenewal() {
		BeatScheduler beat = scheduler(
				new ScheduleEntry("fast", "tasks.tick", new FixedRateSchedule(Duration.ofMillis(600))));
		assertThat(beat.tick()).isEqualTo(Duration.ofMillis(600));
		beat.stop();
		// A third of the lock timeout.
		assertThat(scheduler(everyTenSeconds()).tick()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void runsStayOnePeriodApartWhenATaskIsSentLate() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		beat.tick();
		this.clock.advance(Duration.ofMillis(10_300));
		beat.tick();
		assertThat(this.store.lastRuns()).containsEntry("tick", T0.plusSeconds(10));
		assertThat(beat.nextRuns().get(0).nextRun()).isEqualTo(T0.plusSeconds(20));
	}

	@Test
	void sendsMissedRunsOnceAndCountsOnFromThenAsCeleryDoes() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		beat.tick();
		this.clock.advance(Duration.ofSeconds(95));
		beat.tick();
		beat.tick();
		assertThat(sent("celery")).hasSize(1);
		assertThat(beat.nextRuns().get(0).nextRun()).isEqualTo(T0.plusSeconds(105));
	}

	@Test
	void sendsAMissedCrontabRunOnce() {
		BeatScheduler beat = scheduler(
				new ScheduleEntry("quarterly", "tasks.tick", CrontabSchedule.parse("*/15 * * * *", ZoneOffset.UTC)));
		beat.tick();
		this.clock.advance(Duration.ofHours(3));
		beat.tick();
		beat.tick();
		assertThat(sent("celery")).hasSize(1);
		assertThat(beat.nextRuns().get(0).nextRun()).isEqualTo(Instant.parse("2024-05-01T15:15:00Z"));
	}

	@Test
	void sendsArgumentsQueueAndExpiryOfTheEntry() {
		BeatScheduler beat = scheduler(
				new ScheduleEntry("sum", "tasks.add", new FixedRateSchedule(Duration.ofSeconds(10), Duration.ZERO),
						List.of(2, 3), Map.of("z", "x"), "beat-queue", Duration.ofSeconds(30)));
		beat.tick();
		List<TaskMessage> sent = sent("beat-queue");
		assertThat(sent).singleElement().satisfies((message) -> {
			assertThat(message.taskName()).isEqualTo("tasks.add");
			assertThat(message.args()).containsExactly(2, 3);
			assertThat(message.kwargs()).containsExactly(Map.entry("z", "x"));
			assertThat(Instant.parse(message.headers().expires())).isAfter(Instant.now().plusSeconds(20));
		});
	}

	@Test
	void aFollowerSendsNothingWhileAnotherSchedulerLeads() {
		BeatScheduler first = scheduler(everyTenSeconds());
		BeatScheduler second = scheduler(everyTenSeconds());
		first.tick();
		second.tick();
		for (int i = 0; i < 4; i++) {
			this.clock.advance(Duration.ofMillis(2500));
			first.tick();
			second.tick();
		}
		assertThat(first.isLeader()).isTrue();
		assertThat(second.isLeader()).isFalse();
		assertThat(sent("celery")).hasSize(1);
	}

	@Test
	void anotherSchedulerTakesOverOnceTheLockExpiresWithoutSendingARunTwice() {
		BeatScheduler first = scheduler(everyTenSeconds());
		BeatScheduler second = scheduler(everyTenSeconds());
		first.tick();
		second.tick();
		this.clock.advance(Duration.ofSeconds(10));
		first.tick();
		// The leader dies here: it never ticks again.
		this.clock.advance(LOCK_TIMEOUT.minusMillis(1));
		second.tick();
		assertThat(second.isLeader()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		second.tick();
		assertThat(second.isLeader()).isTrue();
		assertThat(sent("celery")).hasSize(1);
		this.clock.set(T0.plusSeconds(20));
		second.tick();
		assertThat(sent("celery")).as("the run at +20s").hasSize(1);
	}

	@Test
	void anotherSchedulerTakesOverAtOnceWhenTheLeaderStops() {
		BeatScheduler first = scheduler(everyTenSeconds());
		BeatScheduler second = scheduler(everyTenSeconds());
		first.tick();
		second.tick();
		first.stop();
		second.tick();
		assertThat(second.isLeader()).isTrue();
		assertThat(first.isLeader()).isFalse();
	}

	@Test
	void aSchedulerThatLostTheLockWithoutNoticingSendsNothing() {
		BeatScheduler beat = scheduler(
				new ScheduleEntry("fast", "tasks.tick", new FixedRateSchedule(Duration.ofMillis(500))));
		beat.tick();
		this.store.release(beat.getOwner());
		assertThat(this.store.acquire("intruder", Duration.ofMinutes(1))).isTrue();
		this.clock.advance(Duration.ofMillis(600));
		beat.tick();
		beat.tick();
		assertThat(sent("celery")).isEmpty();
		assertThat(beat.isLeader()).isFalse();
	}

	@Test
	void listenersHearEachFiringWithTaskIdAndLag() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		List<String> heard = new ArrayList<>();
		beat.addListener(new BeatListener() {

			@Override
			public void fired(ScheduleEntry entry, String taskId, Instant due, Duration lag) {
				heard.add(entry.name() + " " + taskId + " " + due + " " + lag);
			}

			@Override
			public void leadershipChanged(boolean leader) {
				heard.add("leader " + leader);
			}

		});
		beat.tick();
		this.clock.advance(Duration.ofMillis(10_250));
		beat.tick();
		assertThat(heard).containsExactly("leader true",
				"tick " + sent("celery").get(0).id() + " " + T0.plusSeconds(10) + " PT0.25S");
	}

	@Test
	void aFailedSendIsReportedAndNotRetriedUntilTheNextRun() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		List<String> failures = new ArrayList<>();
		beat.addListener(new BeatListener() {

			@Override
			public void failed(ScheduleEntry entry, Instant due, RuntimeException error) {
				failures.add(entry.name() + " " + due);
			}

		});
		beat.tick();
		this.broker.close();
		this.clock.advance(Duration.ofSeconds(10));
		beat.tick();
		beat.tick();
		assertThat(failures).containsExactly("tick " + T0.plusSeconds(10));
		assertThat(beat.nextRuns().get(0).nextRun()).isEqualTo(T0.plusSeconds(20));
	}

	@Test
	void nextRunsShowEveryEntryWithItsLastAndNextRun() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		beat.register(new ScheduleEntry("nightly", "tasks.report", CrontabSchedule.parse("0 4 * * *", ZoneOffset.UTC)));
		beat.tick();
		assertThat(beat.nextRuns()).containsExactly(
				new NextRun("tick", "tasks.tick", "every 10s", T0, T0.plusSeconds(10)), new NextRun("nightly",
						"tasks.report", "crontab '0 4 * * *' (Z)", T0, Instant.parse("2024-05-02T04:00:00Z")));
	}

	@Test
	void aFollowerShowsNextRunsFromTheStore() {
		BeatScheduler first = scheduler(everyTenSeconds());
		BeatScheduler second = scheduler(everyTenSeconds());
		first.tick();
		this.clock.advance(Duration.ofSeconds(10));
		first.tick();
		second.tick();
		assertThat(second.nextRuns()).extracting(NextRun::nextRun).containsExactly(T0.plusSeconds(20));
	}

	@Test
	void nextRunsNeverWaitOnTheStore() {
		AtomicInteger reads = new AtomicInteger();
		BeatStore counting = new BeatStore() {

			@Override
			public boolean acquire(String owner, Duration timeout) {
				return BeatSchedulerTests.this.store.acquire(owner, timeout);
			}

			@Override
			public void release(String owner) {
				BeatSchedulerTests.this.store.release(owner);
			}

			@Override
			public Map<String, Instant> lastRuns() {
				reads.incrementAndGet();
				return BeatSchedulerTests.this.store.lastRuns();
			}

			@Override
			public Instant initialize(String entry, Instant lastRun) {
				return BeatSchedulerTests.this.store.initialize(entry, lastRun);
			}

			@Override
			public boolean advance(String owner, String entry, Instant expected, Instant lastRun) {
				return BeatSchedulerTests.this.store.advance(owner, entry, expected, lastRun);
			}

			@Override
			public String description() {
				return "counting";
			}

			@Override
			public void close() {
			}

		};
		BeatScheduler leader = scheduler(everyTenSeconds());
		BeatScheduler follower = new BeatScheduler(this.client, counting, LOCK_TIMEOUT, this.clock);
		follower.register(everyTenSeconds());
		leader.tick();
		follower.tick();
		int readsWhileTicking = reads.get();
		follower.nextRuns();
		follower.nextRuns();
		assertThat(reads.get()).isEqualTo(readsWhileTicking);
		assertThat(follower.nextRuns()).extracting(NextRun::nextRun).containsExactly(T0.plusSeconds(10));
	}

	@Test
	void refusesTwoEntriesWithOneName() {
		BeatScheduler beat = scheduler(everyTenSeconds());
		assertThatIllegalStateException().isThrownBy(() -> beat.register(everyTenSeconds()))
			.withMessageContaining("Schedule entry 'tick' is declared twice");
	}

	@Test
	void doesNotStartWithoutEntries() {
		BeatScheduler beat = new BeatScheduler(this.client, this.store, LOCK_TIMEOUT, this.clock);
		beat.start();
		assertThat(beat.isRunning()).isFalse();
	}

	@Test
	void sendsDueTasksOnItsOwnThreadOnceStartedAndGivesTheLockUpOnStop() {
		MemoryBeatStore systemStore = new MemoryBeatStore();
		BeatScheduler beat = new BeatScheduler(this.client, systemStore, LOCK_TIMEOUT);
		beat.register(new ScheduleEntry("fast", "tasks.tick", new FixedRateSchedule(Duration.ofMillis(100))));
		this.schedulers.add(beat);
		beat.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.broker.queueLength("celery") >= 3);
		beat.stop();
		assertThat(beat.isRunning()).isFalse();
		assertThat(systemStore.acquire("other", LOCK_TIMEOUT)).isTrue();
	}

	private ScheduleEntry everyTenSeconds() {
		return everyTenSeconds("tick");
	}

	private ScheduleEntry everyTenSeconds(String name) {
		return new ScheduleEntry(name, "tasks.tick", new FixedRateSchedule(Duration.ofSeconds(10)));
	}

	private BeatScheduler scheduler(ScheduleEntry entry) {
		BeatScheduler beat = new BeatScheduler(this.client, this.store, LOCK_TIMEOUT, this.clock);
		beat.register(entry);
		this.schedulers.add(beat);
		return beat;
	}

	private List<TaskMessage> sent(String queue) {
		TaskMessageCodec codec = new TaskMessageCodec();
		List<TaskMessage> messages = new ArrayList<>();
		try {
			for (Delivery delivery : this.broker.fetch(List.of(queue), 100, Duration.ZERO)) {
				messages.add(codec.decode(delivery.envelope()));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return messages;
	}

}
