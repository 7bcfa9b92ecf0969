package io.celery4j.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.backend.TaskState;
import io.celery4j.testsupport.RedisTestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chord bookkeeping of {@link RedisResultBackend} against a real Redis: Celery's keys,
 * members and scores (PROTOCOL.md 4.4), and one completion however many workers finish at
 * once.
 */
class RedisChordsIntegrationTests {

	private static final int DB = 15;

	private static final Duration DAY = Duration.ofDays(1);

	private final RedisTestServer server = RedisTestServer.get();

	private final ExecutorService executor = Executors.newFixedThreadPool(8);

	private final List<ResultBackend> backends = new ArrayList<>();

	private RedisClient rawClient;

	private StatefulRedisConnection<String, String> rawConnection;

	private RedisCommands<String, String> redis;

	private final String groupId = UUID.randomUUID().toString();

	@BeforeEach
	void connect() {
		this.rawClient = RedisClient.create(this.server.url(DB));
		this.rawConnection = this.rawClient.connect();
		this.redis = this.rawConnection.sync();
	}

	@AfterEach
	void close() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		this.backends.forEach(ResultBackend::close);
		this.redis.del(key(".j"), key(".t"), key(".s"));
		this.rawConnection.close();
		this.rawClient.shutdown();
	}

	private ResultBackend backend() {
		ResultBackend backend = ResultBackends.create(this.server.url(DB), DAY);
		this.backends.add(backend);
		return backend;
	}

	private String key(String suffix) {
		return "celery-taskset-meta-" + this.groupId + suffix;
	}

	@Test
	void writesTheSizeAsCeleryDoesWithTheExpiry() {
		backend().setChordSize(this.groupId, 3);
		assertThat(this.redis.get(key(".s"))).isEqualTo("3");
		assertThat(this.redis.ttl(key(".s"))).isBetween(DAY.getSeconds() - 60, DAY.getSeconds());
	}

	@Test
	void addsEachMemberAsCeleryDoesScoredByItsGroupIndex() {
		ResultBackend backend = backend();
		backend.setChordSize(this.groupId, 3);
		backend.onChordPartReturn(part(1, "t1", TaskState.SUCCESS, 2));
		ExceptionInfo error = new ExceptionInfo("ValueError", List.of("bad member"), "builtins");
		backend.onChordPartReturn(part(null, "t9", TaskState.FAILURE, error.toMap()));
		assertThat(this.redis.zrangeWithScores(key(".j"), 0, -1)).containsExactly(
				ScoredValue.just(1, "[1, \"t1\", \"SUCCESS\", 2]"),
				ScoredValue.just(Double.POSITIVE_INFINITY, "[1, \"t9\", \"FAILURE\", {\"exc_type\": \"ValueError\", "
						+ "\"exc_message\": [\"bad member\"], \"exc_module\": \"builtins\"}]"));
		assertThat(this.redis.ttl(key(".j"))).isBetween(DAY.getSeconds() - 60, DAY.getSeconds());
	}

	@Test
	void completesWithTheLastMemberInGroupIndexOrder() {
		ResultBackend backend = backend();
		backend.setChordSize(this.groupId, 3);
		assertThat(backend.onChordPartReturn(part(2, "t2", TaskState.SUCCESS, 4))).isNull();
		assertThat(backend.onChordPartReturn(part(0, "t0", TaskState.SUCCESS, 0))).isNull();
		assertThat(backend.onChordPartReturn(part(1, "t1", TaskState.SUCCESS, 2))).extracting(ChordMember::result)
			.containsExactly(0, 2, 4);
	}

	@Test
	void countsMembersAddedAtRunTime() {
		ResultBackend backend = backend();
		backend.setChordSize(this.groupId, 1);
		this.redis.incr(key(".t"));
		assertThat(backend.onChordPartReturn(part(0, "t0", TaskState.SUCCESS, 0))).isNull();
		assertThat(backend.onChordPartReturn(part(1, "t1", TaskState.SUCCESS, 1))).hasSize(2);
	}

	@Test
	void neverCompletesWithoutSize() {
		assertThat(backend().onChordPartReturn(part(0, "t0", TaskState.SUCCESS, 0))).isNull();
	}

	@Test
	void deletesTheKeysOfACompletedChord() {
		ResultBackend backend = backend();
		backend.setChordSize(this.groupId, 1);
		backend.onChordPartReturn(part(0, "t0", TaskState.SUCCESS, 0));
		backend.deleteChord(this.groupId);
		assertThat(this.redis.exists(key(".j"), key(".t"), key(".s"))).isZero();
	}

	@Test
	void completesExactlyOnceWhenWorkersOnSeveralConnectionsFinishAtOnce() throws Exception {
		List<ResultBackend> workers = List.of(backend(), backend(), backend(), backend());
		int size = 400;
		workers.get(0).setChordSize(this.groupId, size);
		List<Future<List<ChordMember>>> calls = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			int index = i;
			ResultBackend worker = workers.get(i % workers.size());
			calls.add(this.executor
				.submit(() -> worker.onChordPartReturn(part(index, "t" + index, TaskState.SUCCESS, index))));
		}
		List<List<ChordMember>> completions = new ArrayList<>();
		for (Future<List<ChordMember>> call : calls) {
			List<ChordMember> members = call.get(60, TimeUnit.SECONDS);
			if (members != null) {
				completions.add(members);
			}
		}
		assertThat(completions).hasSize(1);
		List<Object> expected = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			expected.add(i);
		}
		assertThat(completions.get(0)).extracting(ChordMember::result).containsExactlyElementsOf(expected);
	}

	private ChordPart part(Integer groupIndex, String taskId, String state, Object result) {
		return new ChordPart(this.groupId, groupIndex, new ChordMember(taskId, state, result));
	}

}
