package io.celery4j.boot.autoconfigure.beat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.annotation.Periodic;
import io.celery4j.beat.BeatListener;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.beat.ScheduleEntry;
import io.celery4j.beat.redis.RedisBeatStore;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import io.celery4j.broker.BrokerUrl;
import io.celery4j.broker.redis.RedisConnectionFactories;
import io.celery4j.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications sharing one real Redis (broker and beat store), each with a worker and
 * the same {@code @Periodic} task every second: together they send it once per second,
 * and the other takes over when the leader stops.
 */
class CeleryBeatRedisIntegrationTests {

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

	private static final Queue<Long> runs = new ConcurrentLinkedQueue<>();

	private final String queue = "beat-it-" + UUID.randomUUID();

	private final String keyPrefix = "beat-it-" + UUID.randomUUID();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
				CeleryBeatAutoConfiguration.class))
		.withBean(TickTasks.class)
		.withBean(RecordingListener.class)
		.withPropertyValues("celery.broker-url=" + RedisTestServer.get().url(0), "celery.result-backend=disabled",
				"celery.worker.queues=" + this.queue, "celery.task.default-queue=" + this.queue,
				"celery.worker.shutdown-timeout=2s", "celery.beat.lock-timeout=" + LOCK_TIMEOUT.toMillis() + "ms",
				"celery.beat.key-prefix=" + this.keyPrefix);

	@BeforeEach
	@AfterEach
	void clear() {
		runs.clear();
		LettuceConnectionFactory factory = RedisConnectionFactories
			.create(BrokerUrl.parse(RedisTestServer.get().url(0)));
		try {
			new StringRedisTemplate(factory).delete(List.of(this.keyPrefix + ":lock", this.keyPrefix + ":last-run",
					this.queue, "_kombu.binding." + this.queue));
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void twoApplicationsSendA1sScheduleOncePerSecondTogether() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			await().atMost(Duration.ofSeconds(20)).until(() -> fired(first).size() + fired(second).size() >= 5);
			List<Instant> all = new ArrayList<>(fired(first));
			all.addAll(fired(second));
			all.sort(null);
			assertThat(all).doesNotHaveDuplicates();
			for (int i = 1; i < all.size(); i++) {
				assertThat(Duration.between(all.get(i - 1), all.get(i))).as("time between runs %s and %s", i - 1, i)
					.isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			}
			assertThat(leader(first, second)).isNotNull();
			await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() >= all.size());
		}));
	}

	@Test
	void anotherApplicationSendsWithinTheLockTimeoutWhenTheLeaderStops() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			await().atMost(Duration.ofSeconds(20)).until(() -> leader(first, second) != null);
			AssertableApplicationContext leader = leader(first, second);
			AssertableApplicationContext follower = (leader == first) ? second : first;
			RecordingListener leaderRuns = leader.getBean(RecordingListener.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> !leaderRuns.fired.isEmpty());
			leader.close();
			List<Instant> sentByTheLeader = new ArrayList<>(leaderRuns.fired);
			Instant lastRunOfTheLeader = sentByTheLeader.get(sentByTheLeader.size() - 1);
			// About a second (the lock is released on close); generous for a loaded
			// machine.
			await().atMost(LOCK_TIMEOUT.plusSeconds(30)).until(() -> !fired(follower).isEmpty());
			assertThat(fired(follower).get(0)).isAfter(lastRunOfTheLeader);
			assertThat(follower.getBean(BeatScheduler.class).isLeader()).isTrue();
		}));
	}

	@Test
	void keepsLastRunsUnderTheConfiguredKeyPrefix() {
		this.contextRunner.run((context) -> {
			await().atMost(Duration.ofSeconds(20)).until(() -> !fired(context).isEmpty());
			try (RedisBeatStore store = RedisBeatStore.create(RedisTestServer.get().url(0), this.keyPrefix)) {
				assertThat(store.lastRuns()).containsKey("beat.it.tick");
				assertThat(store.leader()).isEqualTo(context.getBean(BeatScheduler.class).getOwner());
			}
		});
	}

	private static List<Instant> fired(AssertableApplicationContext context) {
		return new ArrayList<>(context.getBean(RecordingListener.class).fired);
	}

	private static AssertableApplicationContext leader(AssertableApplicationContext first,
			AssertableApplicationContext second) {
		if (first.getBean(BeatScheduler.class).isLeader()) {
			return first;
		}
		return second.getBean(BeatScheduler.class).isLeader() ? second : null;
	}

	static class TickTasks {

		@CeleryTask(name = "beat.it.tick")
		@Periodic(fixedRate = "1s", initialDelay = "0s")
		public long tick() {
			long now = System.currentTimeMillis();
			runs.add(now);
			return now;
		}

	}

	static class RecordingListener implements BeatListener {

		final Queue<Instant> fired = new ConcurrentLinkedQueue<>();

		@Override
		public void fired(ScheduleEntry entry, String taskId, Instant due, Duration lag) {
			this.fired.add(due);
		}

	}

}
