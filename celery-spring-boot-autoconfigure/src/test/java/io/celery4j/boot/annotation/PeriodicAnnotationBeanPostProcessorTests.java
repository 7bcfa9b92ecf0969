package io.celery4j.boot.annotation;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.annotation.Periodic;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.beat.CrontabSchedule;
import io.celery4j.beat.FixedRateSchedule;
import io.celery4j.beat.ScheduleEntry;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.beat.CeleryBeatAutoConfiguration;
import io.celery4j.boot.autoconfigure.worker.CeleryWorkerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PeriodicAnnotationBeanPostProcessor} and {@link PeriodicEntryFactory}.
 */
class PeriodicAnnotationBeanPostProcessorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleryAutoConfiguration.class, CeleryWorkerAutoConfiguration.class,
				CeleryBeatAutoConfiguration.class))
		.withPropertyValues("celery.worker.shutdown-timeout=2s");

	@Test
	void schedulesAFixedRateMethodUnderItsTaskName() {
		this.contextRunner.withBean(TickTasks.class).run((context) -> {
			ScheduleEntry entry = entry(context);
			assertThat(entry.name()).isEqualTo("tasks.tick");
			assertThat(entry.task()).isEqualTo("tasks.tick");
			assertThat(entry.schedule()).isEqualTo(new FixedRateSchedule(Duration.ofSeconds(10)));
			assertThat(entry.queue()).isNull();
			assertThat(entry.expires()).isNull();
		});
	}

	@Test
	void resolvesPlaceholdersInEveryAttribute() {
		this.contextRunner.withBean(PlaceholderTasks.class)
			.withPropertyValues("report.cron=0 4 * * *", "report.zone=Asia/Tokyo", "report.queue=reports",
					"report.expires=PT30M", "report.name=nightly-report")
			.run((context) -> {
				ScheduleEntry entry = entry(context);
				assertThat(entry.name()).isEqualTo("nightly-report");
				assertThat(entry.task()).isEqualTo("reports.nightly");
				assertThat(entry.schedule()).isEqualTo(CrontabSchedule.parse("0 4 * * *", ZoneId.of("Asia/Tokyo")));
				assertThat(entry.queue()).isEqualTo("reports");
				assertThat(entry.expires()).isEqualTo(Duration.ofMinutes(30));
			});
	}

	@Test
	void readsCronInCeleryTimezoneUnlessTheAnnotationNamesAZone() {
		this.contextRunner.withBean(CronTasks.class)
			.withPropertyValues("celery.timezone=America/New_York")
			.run((context) -> assertThat(entry(context).schedule())
				.isEqualTo(CrontabSchedule.parse("*/5 * * * *", ZoneId.of("America/New_York"))));
	}

	@Test
	void acceptsDurationsInEveryForm() {
		this.contextRunner.withBean(DurationTasks.class).run((context) -> {
			BeatScheduler scheduler = context.getBean(BeatScheduler.class);
			assertThat(scheduler.getEntries()).extracting(ScheduleEntry::schedule)
				.containsExactlyInAnyOrder(new FixedRateSchedule(Duration.ofMillis(500)),
						new FixedRateSchedule(Duration.ofSeconds(10), Duration.ZERO),
						new FixedRateSchedule(Duration.ofSeconds(7)));
		});
	}

	@Test
	void defaultTaskNameIsBeanNameDotMethodName() {
		this.contextRunner.withBean("reportTasks", UnnamedTasks.class)
			.run((context) -> assertThat(entry(context).task()).isEqualTo("reportTasks.refresh"));
	}

	@Test
	void findsPeriodicMethodsBehindAProxy() {
		this.contextRunner.withBean(TickTasks.class, () -> {
			ProxyFactory factory = new ProxyFactory(new TickTasks());
			factory.setProxyTargetClass(true);
			return (TickTasks) factory.getProxy();
		}).run((context) -> assertThat(entry(context).task()).isEqualTo("tasks.tick"));
	}

	@Test
	void runsThePeriodicTaskOnTheWorker() {
		this.contextRunner.withBean(FastTasks.class).run((context) -> {
			FastTasks tasks = context.getBean(FastTasks.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> tasks.runs.get() >= 3);
		});
	}

	@Test
	void failsWhenBothCronAndFixedRateAreSet() {
		this.contextRunner.withBean(BothTasks.class)
			.run((context) -> assertFailure(context,
					"@Periodic on BothTasks#run() sets both cron and fixedRate; set exactly one."));
	}

	@Test
	void failsWhenNeitherCronNorFixedRateIsSet() {
		this.contextRunner.withBean(NeitherTasks.class)
			.run((context) -> assertFailure(context,
					"@Periodic on NeitherTasks#run() sets neither cron nor fixedRate; set exactly one."));
	}

	@Test
	void failsWhenAPlaceholderLeavesBothEmpty() {
		this.contextRunner.withBean(PlaceholderTasks.class)
			.withPropertyValues("report.cron=", "report.zone=UTC", "report.queue=q", "report.expires=1m",
					"report.name=n")
			.run((context) -> assertFailure(context, "PlaceholderTasks#nightly() sets neither cron nor fixedRate"));
	}

	@Test
	void failsWhenTheMethodIsNoCeleryTask() {
		this.contextRunner.withBean(NotATask.class)
			.run((context) -> assertFailure(context, "@Periodic on NotATask#run() needs @CeleryTask"));
	}

	@Test
	void failsWhenTheCronIsInvalid() {
		this.contextRunner.withBean(BadCronTasks.class)
			.run((context) -> assertFailure(context,
					"@Periodic(cron = \"61 * * * *\") on BadCronTasks#run() is invalid"));
	}

	@Test
	void failsWhenTheRateIsNotADuration() {
		this.contextRunner.withBean(BadRateTasks.class)
			.run((context) -> assertFailure(context,
					"@Periodic(fixedRate = \"often\") on BadRateTasks#run() is invalid: 'often' is not a duration"));
	}

	@Test
	void failsWhenTheRateIsZero() {
		this.contextRunner.withBean(ZeroRateTasks.class)
			.run((context) -> assertFailure(context,
					"@Periodic(fixedRate = \"0s\") on ZeroRateTasks#run() is invalid"));
	}

	@Test
	void failsWhenTheZoneIsUnknown() {
		this.contextRunner.withBean(BadZoneTasks.class)
			.run((context) -> assertFailure(context, "@Periodic(zone = \"Mars/Olympus\") on BadZoneTasks#run()"));
	}

	@Test
	void failsWhenInitialDelayComesWithCron() {
		this.contextRunner.withBean(DelayedCronTasks.class)
			.run((context) -> assertFailure(context, "DelayedCronTasks#run() sets initialDelay with cron"));
	}

	@Test
	void failsWhenTwoEntriesShareAName() {
		this.contextRunner.withBean(TickTasks.class)
			.withPropertyValues("celery.beat.schedule[tasks.tick].task=tasks.other",
					"celery.beat.schedule[tasks.tick].every=1m")
			.run((context) -> assertFailure(context, "Schedule entry 'tasks.tick' is declared twice"));
	}

	private static ScheduleEntry entry(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(BeatScheduler.class).getEntries().get(0);
	}

	private static void assertFailure(AssertableApplicationContext context, String message) {
		assertThat(context).hasFailed();
		List<String> messages = new ArrayList<>();
		for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
			messages.add(String.valueOf(ex.getMessage()));
		}
		assertThat(messages).as("messages of the start-up failure and its causes")
			.anySatisfy((text) -> assertThat(text).contains(message));
	}

	static class TickTasks {

		@CeleryTask(name = "tasks.tick")
		@Periodic(fixedRate = "10s")
		public long tick() {
			return System.currentTimeMillis();
		}

	}

	static class PlaceholderTasks {

		@CeleryTask(name = "reports.nightly")
		@Periodic(cron = "${report.cron}", zone = "${report.zone}", queue = "${report.queue}",
				expires = "${report.expires}", name = "${report.name}")
		public void nightly() {
		}

	}

	static class CronTasks {

		@CeleryTask(name = "tasks.cron")
		@Periodic(cron = "*/5 * * * *")
		public void run() {
		}

	}

	static class DurationTasks {

		@CeleryTask(name = "tasks.millis")
		@Periodic(fixedRate = "500ms")
		public void millis() {
		}

		@CeleryTask(name = "tasks.iso")
		@Periodic(fixedRate = "PT10S", initialDelay = "0")
		public void iso() {
		}

		@CeleryTask(name = "tasks.seconds")
		@Periodic(fixedRate = "7")
		public void seconds() {
		}

	}

	static class UnnamedTasks {

		@CeleryTask
		@Periodic(fixedRate = "1m")
		public void refresh() {
		}

	}

	static class FastTasks {

		final AtomicInteger runs = new AtomicInteger();

		@CeleryTask(name = "tasks.fast")
		@Periodic(fixedRate = "100ms", initialDelay = "0s")
		public int fast() {
			return this.runs.incrementAndGet();
		}

	}

	static class BothTasks {

		@CeleryTask(name = "tasks.both")
		@Periodic(cron = "* * * * *", fixedRate = "10s")
		public void run() {
		}

	}

	static class NeitherTasks {

		@CeleryTask(name = "tasks.neither")
		@Periodic
		public void run() {
		}

	}

	static class NotATask {

		@Periodic(fixedRate = "10s")
		public void run() {
		}

	}

	static class BadCronTasks {

		@CeleryTask(name = "tasks.bad")
		@Periodic(cron = "61 * * * *")
		public void run() {
		}

	}

	static class BadRateTasks {

		@CeleryTask(name = "tasks.bad")
		@Periodic(fixedRate = "often")
		public void run() {
		}

	}

	static class ZeroRateTasks {

		@CeleryTask(name = "tasks.zero")
		@Periodic(fixedRate = "0s")
		public void run() {
		}

	}

	static class BadZoneTasks {

		@CeleryTask(name = "tasks.zone")
		@Periodic(cron = "0 * * * *", zone = "Mars/Olympus")
		public void run() {
		}

	}

	static class DelayedCronTasks {

		@CeleryTask(name = "tasks.delayed")
		@Periodic(cron = "0 * * * *", initialDelay = "5s")
		public void run() {
		}

	}

}
