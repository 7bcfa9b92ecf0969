package io.celery4j.beat.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.celery4j.backend.memory.MemoryResultBackend;
import io.celery4j.beat.BeatListener;
import io.celery4j.beat.BeatScheduler;
import io.celery4j.beat.FixedRateSchedule;
import io.celery4j.beat.ScheduleEntry;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.client.CeleryClient;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.testsupport.RedisTestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Beat schedulers sharing one real Redis: one of them sends each run of a 1 s schedule,
 * and another takes over when the leader stops or dies.
 */
class BeatSchedulerRedisIntegrationTests {

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(3);

	/** How long a follower may take to send its first run once the leader is gone. */
	private static final Duration TAKE_OVER = LOCK_TIMEOUT.plusSeconds(30);

	private final String prefix = "beat-it-" + UUID.randomUUID();

	private final List<Instance> instances = new ArrayList<>();

	private final List<Process> processes = new ArrayList<>();

	static ScheduleEntry everySecond() {
		return new ScheduleEntry("every-second", "tasks.tick", new FixedRateSchedule(Duration.ofSeconds(1)));
	}

	@AfterEach
	void stopAll() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		this.instances.forEach(Instance::close);
		RedisBeatStoreIntegrationTests.deleteKeys(this.prefix);
	}

	@Test
	void twoSchedulersSendA1sScheduleOncePerSecondTogether() {
		Instance first = start();
		Instance second = start();
		await().atMost(Duration.ofSeconds(15)).until(() -> first.fired().size() + second.fired().size() >= 6);
		first.close();
		second.close();
		List<Instant> all = new ArrayList<>(first.fired());
		all.addAll(second.fired());
		Collections.sort(all);
		assertThat(all).doesNotHaveDuplicates();
		for (int i = 1; i < all.size(); i++) {
			assertThat(Duration.between(all.get(i - 1), all.get(i))).as("time between runs %s and %s", i - 1, i)
				.isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		}
		assertThat(first.fired().isEmpty() || second.fired().isEmpty()).as("one leader sent every run").isTrue();
	}

	@Test
	void anotherSchedulerSendsWithinTheLockTimeoutWhenTheLeaderStops() {
		Instance first = start();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.fired().size() >= 1);
		Instance second = start();
		first.close();
		Instant stopped = Instant.now();
		// The lock is released on stop, so this takes about a second; the bound is for a
		// loaded machine, the schedule's continuity is checked below.
		await().atMost(TAKE_OVER).until(() -> !second.fired().isEmpty());
		assertThat(second.fired().get(0)).isAfter(first.fired().get(first.fired().size() - 1));
		assertThat(second.fired().get(0)).isAfterOrEqualTo(stopped.minusSeconds(1));
	}

	@Test
	void anotherSchedulerSendsWithinTheLockTimeoutWhenTheLeaderIsKilled() throws IOException {
		Process leader = startProcess();
		List<String> output = new CopyOnWriteArrayList<>();
		drain(leader, output);
		try {
			await().atMost(Duration.ofSeconds(60))
				.failFast(() -> !leader.isAlive())
				.until(() -> output.stream().anyMatch((line) -> line.startsWith("fired ")));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError("The beat process sent nothing; its output:\n" + String.join("\n", output), ex);
		}
		String owner = output.stream()
			.filter((line) -> line.startsWith("owner "))
			.findFirst()
			.orElseThrow()
			.substring(6);
		Instance follower = start();
		assertThat(follower.store().leader()).isEqualTo(owner);
		leader.destroyForcibly();
		await().atMost(Duration.ofSeconds(10)).until(() -> !leader.isAlive());
		Instant lastRunOfTheKilledLeader = follower.store().lastRuns().get("every-second");
		// The lock expires at most LOCK_TIMEOUT after the kill and the follower checks
		// every
		// second, which on a loaded machine can take longer than LOCK_TIMEOUT + 2 s
		// (failed
		// so once): the bound is generous, the next due run is checked below.
		await().atMost(TAKE_OVER).until(() -> !follower.fired().isEmpty());
		assertThat(follower.fired().get(0)).isEqualTo(lastRunOfTheKilledLeader.plusSeconds(1));
	}

	@Test
	void sendsNothingWhileRedisIsDownAndLeadsAgainOnceItIsBack() {
		RedisTestServer redis = RedisTestServer.get();
		assumeThat(redis.isControllable()).as("Redis is not started by the tests, so it cannot be stopped").isTrue();
		ClientResources resources = DefaultClientResources.builder()
			.reconnectDelay(Delay.constant(Duration.ofMillis(200)))
			.build();
		LettuceConnectionFactory factory = failFast(redis, resources);
		Logger logger = (Logger) LoggerFactory.getLogger(BeatScheduler.class);
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		logger.addAppender(log);
		try {
			Instance instance = start(new RedisBeatStore(factory, this.prefix, "test-redis"));
			await().atMost(Duration.ofSeconds(10)).until(() -> !instance.fired().isEmpty());
			redis.stop();
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> !instance.beat().isLeader());
				int whenLost = instance.fired().size();
				await().during(Duration.ofSeconds(2))
					.atMost(Duration.ofSeconds(30))
					.until(() -> instance.fired().size() == whenLost);
			}
			finally {
				redis.restart();
			}
			int beforeRestart = instance.fired().size();
			await().atMost(Duration.ofSeconds(15))
				.until(() -> instance.beat().isLeader() && instance.fired().size() > beforeRestart);
			assertThat(log.list).filteredOn((event) -> event.getLevel() == Level.WARN)
				.extracting(ILoggingEvent::getFormattedMessage)
				.satisfiesExactly((lost) -> assertThat(lost).startsWith("beat: cannot reach test-redis: "),
						(back) -> assertThat(back).isEqualTo("beat: test-redis answers again"));
			instance.close();
		}
		finally {
			logger.detachAppender(log);
			factory.destroy();
			resources.shutdown();
		}
	}

	/**
	 * A connection factory whose commands fail at once while Redis is down (rather than
	 * wait in Lettuce's buffer) and that reconnects quickly.
	 */
	private static LettuceConnectionFactory failFast(RedisTestServer redis, ClientResources resources) {
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(redis.host(), redis.port());
		server.setDatabase(RedisBeatStoreIntegrationTests.DATABASE);
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientResources(resources)
			.commandTimeout(Duration.ofSeconds(2))
			.clientOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private Instance start() {
		return start(
				RedisBeatStore.create(RedisTestServer.get().url(RedisBeatStoreIntegrationTests.DATABASE), this.prefix));
	}

	private Instance start(RedisBeatStore store) {
		MemoryBroker broker = new MemoryBroker();
		CeleryClient client = new CeleryClient(broker, new MemoryResultBackend(Duration.ofMinutes(1)),
				new TaskRouter(Map.of(), new TaskRegistry(), "celery"), ZoneOffset.UTC);
		// Load the message path once, so that the first run is not late for class
		// loading.
		client.send("tasks.warm-up");
		BeatScheduler beat = new BeatScheduler(client, store, LOCK_TIMEOUT);
		beat.register(everySecond());
		Instance instance = new Instance(beat, store, broker, new CopyOnWriteArrayList<>());
		beat.addListener(new BeatListener() {

			@Override
			public void fired(ScheduleEntry entry, String taskId, Instant due, Duration lag) {
				instance.fired().add(due);
			}

		});
		this.instances.add(instance);
		beat.start();
		return instance;
	}

	private Process startProcess() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				BeatProcess.class.getName(), RedisTestServer.get().url(RedisBeatStoreIntegrationTests.DATABASE),
				this.prefix, String.valueOf(LOCK_TIMEOUT.toMillis()))
			.redirectErrorStream(true)
			.start();
		this.processes.add(process);
		return process;
	}

	private static void drain(Process process, List<String> lines) {
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = output.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				// The process was killed.
			}
		}, "beat-process-output");
		reader.setDaemon(true);
		reader.start();
	}

	private record Instance(BeatScheduler beat, RedisBeatStore store, MemoryBroker broker, List<Instant> fired) {

		void close() {
			this.beat.stop();
			this.store.close();
			this.broker.close();
		}

	}

}
