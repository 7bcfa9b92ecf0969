package io.celery4j.beat.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.celery4j.broker.BrokerUrl;
import io.celery4j.broker.redis.RedisConnectionFactories;
import io.celery4j.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisBeatStoreIntegrationTests {

	static final int DATABASE = 7;

	private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

	private final String prefix = "beat-test-" + UUID.randomUUID();

	private final RedisBeatStore store = RedisBeatStore.create(RedisTestServer.get().url(DATABASE), this.prefix);

	private final RedisBeatStore other = RedisBeatStore.create(RedisTestServer.get().url(DATABASE), this.prefix);

	@AfterEach
	void deleteKeysAndClose() {
		deleteKeys(this.prefix);
		this.store.close();
		this.other.close();
	}

	static void deleteKeys(String prefix) {
		LettuceConnectionFactory factory = RedisConnectionFactories
			.create(BrokerUrl.parse(RedisTestServer.get().url(DATABASE)));
		try {
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			redis.delete(prefix + ":lock");
			redis.delete(prefix + ":last-run");
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void theFirstSchedulerTakesTheLockAndOthersDoNot() {
		assertThat(this.store.acquire("a", Duration.ofSeconds(10))).isTrue();
		assertThat(this.other.acquire("b", Duration.ofSeconds(10))).isFalse();
		assertThat(this.other.leader()).isEqualTo("a");
	}

	@Test
	void theLeaderExtendsItsLock() {
		assertThat(this.store.acquire("a", Duration.ofMillis(300))).isTrue();
		assertThat(this.store.acquire("a", Duration.ofSeconds(30))).isTrue();
		// Each check is a Redis round trip: a loaded machine may need more than the
		// half second the lock must stay held.
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(30))
			.until(() -> !this.other.acquire("b", Duration.ofSeconds(10)));
	}

	@Test
	void anotherSchedulerTakesTheLockOnceItExpires() {
		assertThat(this.store.acquire("a", Duration.ofMillis(200))).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.other.acquire("b", Duration.ofSeconds(10)));
		assertThat(this.store.leader()).isEqualTo("b");
	}

	@Test
	void releasingTheLockLetsAnotherSchedulerTakeItAtOnce() {
		assertThat(this.store.acquire("a", Duration.ofSeconds(30))).isTrue();
		this.store.release("a");
		assertThat(this.other.acquire("b", Duration.ofSeconds(30))).isTrue();
	}

	@Test
	void onlyTheHolderReleasesTheLock() {
		assertThat(this.store.acquire("a", Duration.ofSeconds(30))).isTrue();
		this.other.release("b");
		assertThat(this.other.leader()).isEqualTo("a");
	}

	@Test
	void initializeKeepsTheFirstLastRun() {
		assertThat(this.store.initialize("tick", T0)).isEqualTo(T0);
		assertThat(this.other.initialize("tick", T0.plusSeconds(5))).isEqualTo(T0);
		assertThat(this.other.lastRuns()).containsExactly(Map.entry("tick", T0));
	}

	@Test
	void advanceRecordsARunWhenTheOwnerLeadsAndTheLastRunIsUnchanged() {
		this.store.acquire("a", Duration.ofSeconds(30));
		this.store.initialize("tick", T0);
		assertThat(this.store.advance("a", "tick", T0, T0.plusSeconds(1))).isTrue();
		assertThat(this.other.lastRuns()).containsEntry("tick", T0.plusSeconds(1));
	}

	@Test
	void advanceRefusesARunAnotherSchedulerRecordedFirst() {
		this.store.acquire("a", Duration.ofSeconds(30));
		this.store.initialize("tick", T0);
		assertThat(this.store.advance("a", "tick", T0, T0.plusSeconds(1))).isTrue();
		assertThat(this.store.advance("a", "tick", T0, T0.plusSeconds(1))).isFalse();
	}

	@Test
	void advanceRefusesARunFromASchedulerThatDoesNotHoldTheLock() {
		this.store.acquire("a", Duration.ofSeconds(30));
		this.store.initialize("tick", T0);
		assertThat(this.other.advance("b", "tick", T0, T0.plusSeconds(1))).isFalse();
		assertThat(this.store.lastRuns()).containsEntry("tick", T0);
	}

	@Test
	void keepsSubSecondPrecisionOfLastRuns() {
		Instant precise = Instant.parse("2024-05-01T12:00:00.123456Z");
		this.store.initialize("tick", precise);
		assertThat(this.other.lastRuns()).containsEntry("tick", precise);
	}

	@Test
	void describesItselfByItsMaskedUrl() {
		try (RedisBeatStore unreachable = RedisBeatStore.create("redis://:secret@127.0.0.1:1/3", "x")) {
			assertThat(unreachable.description()).isEqualTo("redis://:****@127.0.0.1:1/3");
		}
	}

}
