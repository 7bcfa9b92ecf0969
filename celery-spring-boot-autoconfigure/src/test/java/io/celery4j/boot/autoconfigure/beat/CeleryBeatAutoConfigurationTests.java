package io.celery4j.boot.autoconfigure.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import io.celery4j.beat.BeatListener;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.beat.BeatStore;
import io.celery4j.beat.CrontabSchedule;
import io.celery4j.beat.FixedRateSchedule;
import io.celery4j.beat.ScheduleEntry;
import io.celery4j.beat.memory.MemoryBeatStore;
import io.celery4j.beat.redis.RedisBeatStore;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.client.CeleryClient;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CeleryBeatAutoConfiguration}.
 */
class CeleryBeatAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryBeatAutoConfiguration.class));

	@Test
	void createsASchedulerThatStaysIdleWithoutASchedule() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(BeatScheduler.class);
			assertThat(context.getBean(BeatScheduler.class).isRunning()).isFalse();
			assertThat(context.getBeanFactory().containsSingleton("celeryBeatStore")).as("store created").isFalse();
		});
	}

	@Test
	void runsTheEntriesOfCeleryBeatSchedule() {
		this.contextRunner
			.withPropertyValues("celery.beat.schedule.cleanup.task=tasks.cleanup",
					"celery.beat.schedule.cleanup.every=200ms", "celery.beat.schedule.cleanup.queue=beat-test")
			.run((context) -> {
				BeatScheduler scheduler = context.getBean(BeatScheduler.class);
				assertThat(scheduler.isRunning()).isTrue();
				Broker broker = context.getBean(Broker.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> broker.queueLength("beat-test") >= 2);
				assertThat(sent(broker, "beat-test")).extracting(TaskMessage::taskName).containsOnly("tasks.cleanup");
			});
	}

	@Test
	void appliesEveryPropertyOfAnEntry() {
		this.contextRunner
			.withPropertyValues("celery.timezone=Europe/Paris", "celery.beat.schedule[report.daily].task=tasks.report",
					"celery.beat.schedule[report.daily].cron=30 2 * * mon-fri",
					"celery.beat.schedule[report.daily].args=2,\"text\",true,plain words",
					"celery.beat.schedule[report.daily].kwargs.limit=10",
					"celery.beat.schedule[report.daily].kwargs.tags=[\"a\", \"b\"]",
					"celery.beat.schedule[report.daily].queue=reports", "celery.beat.schedule[report.daily].expires=1h",
					"celery.beat.schedule.tokyo.task=tasks.report", "celery.beat.schedule.tokyo.cron=@daily",
					"celery.beat.schedule.tokyo.zone=Asia/Tokyo")
			.run((context) -> {
				List<ScheduleEntry> entries = context.getBean(BeatScheduler.class).getEntries();
				assertThat(entries).hasSize(2);
				ScheduleEntry daily = entries.get(0);
				assertThat(daily.name()).isEqualTo("report.daily");
				assertThat(daily.task()).isEqualTo("tasks.report");
				assertThat(daily.schedule())
					.isEqualTo(CrontabSchedule.parse("30 2 * * mon-fri", ZoneId.of("Europe/Paris")));
				assertThat(daily.args()).containsExactly(2, "text", true, "plain words");
				assertThat(daily.kwargs()).containsEntry("limit", 10).containsEntry("tags", List.of("a", "b"));
				assertThat(daily.queue()).isEqualTo("reports");
				assertThat(daily.expires()).isEqualTo(Duration.ofHours(1));
				assertThat(entries.get(1).schedule())
					.isEqualTo(CrontabSchedule.parse("@daily", ZoneId.of("Asia/Tokyo")));
			});
	}

	@Test
	void readsAPeriodWithoutUnitAsSeconds() {
		this.contextRunner
			.withPropertyValues("celery.beat.schedule.tick.task=tasks.tick", "celery.beat.schedule.tick.every=90")
			.run((context) -> assertThat(context.getBean(BeatScheduler.class).getEntries().get(0).schedule())
				.isEqualTo(new FixedRateSchedule(Duration.ofSeconds(90))));
	}

	@Test
	void keepsBeatStateInMemoryWithTheMemoryBroker() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(BeatStore.class)).isInstanceOf(MemoryBeatStore.class));
	}

	@Test
	void keepsBeatStateInTheBrokersRedis() {
		this.contextRunner.withBean(Broker.class, MemoryBroker::new)
			.withPropertyValues("celery.broker-url=redis://:secret@127.0.0.1:1/4", "celery.result-backend=disabled")
			.run((context) -> {
				BeatStore store = context.getBean(BeatStore.class);
				assertThat(store).isInstanceOf(RedisBeatStore.class);
				assertThat(store.description()).isEqualTo("redis://:****@127.0.0.1:1/4");
			});
	}

	@Test
	void usesTheApplicationsRedisWhenUseSpringDataRedisIsSet() {
		this.contextRunner.withBean(Broker.class, MemoryBroker::new)
			.withBean(RedisConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 1))
			.withPropertyValues("celery.use-spring-data-redis=true", "celery.result-backend=disabled")
			.run((context) -> assertThat(context.getBean(BeatStore.class).description())
				.isEqualTo("spring.data.redis"));
	}

	@Test
	void appliesTheLockTimeout() {
		this.contextRunner.withPropertyValues("celery.beat.lock-timeout=10")
			.run((context) -> assertThat(context.getBean(BeatScheduler.class).getLockTimeout())
				.isEqualTo(Duration.ofSeconds(10)));
	}

	@Test
	void failsWhenTheLockTimeoutIsBelowOneSecond() {
		this.contextRunner.withPropertyValues("celery.beat.lock-timeout=500ms")
			.run((context) -> assertFailure(context, "celery.beat.lock-timeout", "at least 1s"));
	}

	@Test
	void failsWhenTheKeyPrefixIsEmpty() {
		this.contextRunner
			.withPropertyValues("celery.beat.key-prefix=", "celery.beat.schedule.tick.task=tasks.tick",
					"celery.beat.schedule.tick.every=1s")
			.run((context) -> assertFailure(context, "celery.beat.key-prefix", "Set a prefix"));
	}

	@Test
	void failsWhenAnEntryNamesNoTask() {
		this.contextRunner.withPropertyValues("celery.beat.schedule.tick.every=10s")
			.run((context) -> assertFailure(context, "celery.beat.schedule.tick.task", "Name the task"));
	}

	@Test
	void failsWhenAnEntrySetsBothCronAndEvery() {
		this.contextRunner
			.withPropertyValues("celery.beat.schedule.tick.task=tasks.tick", "celery.beat.schedule.tick.every=10s",
					"celery.beat.schedule.tick.cron=* * * * *")
			.run((context) -> assertFailure(context, "celery.beat.schedule.tick.cron", "not both"));
	}

	@Test
	void failsWhenAnEntrySetsNeitherCronNorEvery() {
		this.contextRunner.withPropertyValues("celery.beat.schedule.tick.task=tasks.tick")
			.run((context) -> assertFailure(context, "celery.beat.schedule.tick.cron", "Set cron"));
	}

	@Test
	void failsWhenAnEntrysCronIsInvalid() {
		this.contextRunner
			.withPropertyValues("celery.beat.schedule.tick.task=tasks.tick", "celery.beat.schedule.tick.cron=0 9 * * 7")
			.run((context) -> assertFailure(context, "celery.beat.schedule.tick.cron", "0 is Sunday"));
	}

	@Test
	void failsWhenAnEntrysPeriodIsZero() {
		this.contextRunner
			.withPropertyValues("celery.beat.schedule.tick.task=tasks.tick", "celery.beat.schedule.tick.every=0")
			.run((context) -> assertFailure(context, "celery.beat.schedule.tick.every", "positive"));
	}

	@Test
	void failsWhenAnEntryWithAPeriodSetsAZone() {
		this.contextRunner
			.withPropertyValues("celery.beat.schedule.tick.task=tasks.tick", "celery.beat.schedule.tick.every=5s",
					"celery.beat.schedule.tick.zone=Europe/Paris")
			.run((context) -> assertFailure(context, "celery.beat.schedule.tick.zone", "cron schedules only"));
	}

	@Test
	void failsWhenAnEntrysExpiryIsNotPositive() {
		this.contextRunner
			.withPropertyValues("celery.beat.schedule.tick.task=tasks.tick", "celery.beat.schedule.tick.every=5s",
					"celery.beat.schedule.tick.expires=0")
			.run((context) -> assertFailure(context, "celery.beat.schedule.tick.expires", "positive"));
	}

	@Test
	void addsListenerBeansAndAppliesCustomizers() {
		BeatListener listener = new BeatListener() {
		};
		this.contextRunner.withBean(BeatListener.class, () -> listener)
			.withBean(BeatSchedulerCustomizer.class,
					() -> (scheduler) -> scheduler.register(
							new ScheduleEntry("from-code", "tasks.code", new FixedRateSchedule(Duration.ofMinutes(1)))))
			.run((context) -> {
				BeatScheduler scheduler = context.getBean(BeatScheduler.class);
				assertThat(scheduler.getEntries()).extracting(ScheduleEntry::name).containsExactly("from-code");
				assertThat(scheduler.isRunning()).isTrue();
			});
	}

	@Test
	void backsOffWhenTheApplicationDefinesAStore() {
		MemoryBeatStore store = new MemoryBeatStore();
		this.contextRunner.withBean(BeatStore.class, () -> store)
			.withPropertyValues("celery.broker-url=redis://127.0.0.1:1/0")
			.withBean(Broker.class, MemoryBroker::new)
			.withPropertyValues("celery.result-backend=disabled")
			.run((context) -> assertThat(context.getBean(BeatStore.class)).isSameAs(store));
	}

	@Test
	void backsOffWhenTheApplicationDefinesAScheduler() {
		this.contextRunner.withUserConfiguration(UserScheduler.class)
			.run((context) -> assertThat(context.getBean(BeatScheduler.class).getOwner())
				.isEqualTo(UserScheduler.owner));
	}

	@Test
	void isOffWhenCeleryBeatEnabledIsFalse() {
		this.contextRunner
			.withPropertyValues("celery.beat.enabled=false", "celery.beat.schedule.tick.task=tasks.tick",
					"celery.beat.schedule.tick.every=1s")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(BeatScheduler.class);
				assertThat(context).doesNotHaveBean(BeatStore.class);
			});
	}

	@Test
	void leadsAndRecordsRunsInTheStore() {
		this.contextRunner
			.withPropertyValues("celery.beat.schedule.tick.task=tasks.tick", "celery.beat.schedule.tick.every=100ms")
			.run((context) -> {
				BeatStore store = context.getBean(BeatStore.class);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> store.lastRuns()
						.getOrDefault("tick", Instant.MIN)
						.isAfter(Instant.now().minusSeconds(1)));
				assertThat(context.getBean(BeatScheduler.class).isLeader()).isTrue();
				assertThat(context.getBean(BeatScheduler.class).nextRuns()).singleElement()
					.satisfies((next) -> assertThat(next.task()).isEqualTo("tasks.tick"));
			});
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String reason) {
		assertThat(context).hasFailed();
		assertThat(context).getFailure()
			.rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining(property)
			.hasMessageContaining(reason);
	}

	private static List<TaskMessage> sent(Broker broker, String queue) throws InterruptedException {
		TaskMessageCodec codec = new TaskMessageCodec();
		return broker.fetch(List.of(queue), 100, Duration.ZERO)
			.stream()
			.map(Delivery::envelope)
			.map(codec::decode)
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserScheduler {

		static String owner = "";

		@Bean
		BeatScheduler userBeatScheduler(CeleryClient client) {
			BeatScheduler scheduler = new BeatScheduler(client, new MemoryBeatStore(), Duration.ofSeconds(5));
			owner = scheduler.getOwner();
			return scheduler;
		}

	}

}
