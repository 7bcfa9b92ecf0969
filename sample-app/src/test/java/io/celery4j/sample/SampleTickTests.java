package io.celery4j.sample;

import java.time.Duration;
import java.time.Instant;

import io.celery4j.beat.BeatScheduler;
import io.celery4j.beat.BeatStore;
import io.celery4j.beat.FixedRateSchedule;
import io.celery4j.client.CeleryClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract's periodic task: {@code tasks.tick} every {@code sample.tick-rate} on
 * queue {@code sample.tick-queue}, returning epoch millis.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "sample.tick-rate=300ms", "sample.tick-queue=celery" })
class SampleTickTests {

	@Autowired
	private BeatScheduler beat;

	@Autowired
	private BeatStore store;

	@Autowired
	private CeleryClient client;

	@Test
	void schedulesTickAtTheConfiguredRateAndQueueWithTheContractLockTimeout() {
		assertThat(this.beat.getEntries()).singleElement().satisfies((entry) -> {
			assertThat(entry.task()).isEqualTo("tasks.tick");
			assertThat(entry.schedule()).isEqualTo(new FixedRateSchedule(Duration.ofMillis(300)));
			assertThat(entry.queue()).isEqualTo("celery");
		});
		assertThat(this.beat.getLockTimeout()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void beatSendsTickOverAndOver() {
		Instant started = Instant.now();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.store.lastRuns()
				.getOrDefault("tasks.tick", Instant.MIN)
				.isAfter(started.plusMillis(600)));
		assertThat(this.beat.isLeader()).isTrue();
	}

	@Test
	void tickReturnsEpochMillisAsAnInteger() {
		long before = System.currentTimeMillis();
		Object result = this.client.send("tasks.tick").get(Duration.ofSeconds(20));
		assertThat(result).isInstanceOfAny(Integer.class, Long.class);
		assertThat(((Number) result).longValue()).isBetween(before, System.currentTimeMillis());
	}

}
