package io.celery4j.beat.redis;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.celery4j.backend.memory.MemoryResultBackend;
import io.celery4j.beat.BeatListener;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.beat.FixedRateSchedule;
import io.celery4j.beat.ScheduleEntry;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.client.CeleryClient;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;

/**
 * A beat scheduler in its own JVM, for tests that kill it: sends a task every second and
 * prints {@code owner <id>} once started and {@code fired <due>} for each run. Arguments:
 * Redis URL, key prefix, lock timeout in milliseconds.
 */
public final class BeatProcess {

	private BeatProcess() {
	}

	public static void main(String[] args) throws InterruptedException {
		RedisBeatStore store = RedisBeatStore.create(args[0], args[1]);
		CeleryClient client = new CeleryClient(new MemoryBroker(), new MemoryResultBackend(Duration.ofMinutes(1)),
				new TaskRouter(Map.of(), new TaskRegistry(), "celery"), ZoneOffset.UTC);
		BeatScheduler beat = new BeatScheduler(client, store, Duration.ofMillis(Long.parseLong(args[2])));
		beat.register(BeatSchedulerRedisIntegrationTests.everySecond());
		beat.addListener(new BeatListener() {

			@Override
			public void fired(ScheduleEntry entry, String taskId, java.time.Instant due, Duration lag) {
				System.out.println("fired " + due);
				System.out.flush();
			}

		});
		beat.start();
		System.out.println("owner " + beat.getOwner());
		System.out.flush();
		new CountDownLatch(1).await();
	}

}
