package io.celery4j.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.celery4j.backend.CeleryWireVectors;
import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskMetas;
import io.celery4j.backend.TaskState;
import io.celery4j.testsupport.RedisTestServer;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisResultBackend} against a real Redis, on its own database.
 */
class RedisResultBackendIntegrationTests {

	private static final int DB = 11;

	private static final Duration DAY = Duration.ofDays(1);

	private static final Duration LONG = Duration.ofSeconds(60);

	private final RedisTestServer server = RedisTestServer.get();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private RedisClient rawClient;

	private StatefulRedisConnection<String, String> rawConnection;

	private RedisCommands<String, String> redis;

	@BeforeEach
	void connectAndFlush() {
		this.rawClient = RedisClient.create(this.server.url(DB));
		this.rawConnection = this.rawClient.connect();
		this.redis = this.rawConnection.sync();
		this.redis.flushdb();
	}

	@AfterEach
	void closeEverything() throws Exception {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.rawConnection.close();
		this.rawClient.shutdown();
	}

	private RedisResultBackend backend(String clientName, Duration expires) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(this.server.host(),
				this.server.port());
		configuration.setDatabase(DB);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().clientName(clientName).build());
		factory.afterPropertiesSet();
		factory.start();
		this.resources.add(factory::destroy);
		ResultBackend backend = ResultBackends.redis(factory, expires, this.server.url(DB));
		this.resources.add(backend);
		return (RedisResultBackend) backend;
	}

	private static String id() {
		return UUID.randomUUID().toString();
	}

	@Test
	void storesTheRecordAsCeleryDoesUnderItsKeyWithTheExpiry() {
		RedisResultBackend backend = backend("store", DAY);
		backend.store(TaskMetas.success("t1", 5));
		assertThat(this.redis.get("celery-task-meta-t1")).isEqualTo("{\"status\": \"SUCCESS\", \"result\": 5, "
				+ "\"traceback\": null, \"children\": [], \"date_done\": \"2026-11-24T22:00:21.881326\", "
				+ "\"task_id\": \"t1\"}");
		assertThat(this.redis.ttl("celery-task-meta-t1")).isBetween(DAY.getSeconds() - 60, DAY.getSeconds());
	}

	@Test
	void publishesTheRecordOnTheKeysChannel() throws InterruptedException {
		RedisResultBackend backend = backend("publish", DAY);
		BlockingQueue<String> messages = subscribe("celery-task-meta-t1");
		TaskMeta failure = TaskMetas.failure("t1", "ValueError", "boom");
		backend.store(failure);
		assertThat(messages.poll(30, TimeUnit.SECONDS)).isEqualTo(this.redis.get("celery-task-meta-t1"))
			.contains("\"exc_type\": \"ValueError\"");
	}

	private BlockingQueue<String> subscribe(String channel) {
		return subscribe((received, message) -> message, channel);
	}

	/**
	 * Subscribe one connection to channels and collect the name of the channel of each
	 * message it receives, in order.
	 */
	private BlockingQueue<String> subscribeChannels(String... channels) {
		return subscribe((received, message) -> received, channels);
	}

	private BlockingQueue<String> subscribe(BinaryOperator<String> collect, String... channels) {
		BlockingQueue<String> collected = new LinkedBlockingQueue<>();
		StatefulRedisPubSubConnection<String, String> pubsub = this.rawClient.connectPubSub();
		this.resources.add(pubsub::close);
		pubsub.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String channel, String message) {
				collected.add(collect.apply(channel, message));
			}

		});
		pubsub.sync().subscribe(channels);
		return collected;
	}

	@Test
	void storesWhenRedisForgotTheStoreScript() {
		RedisResultBackend backend = backend("noscript", DAY);
		backend.store(TaskMetas.success("t1", 5));
		this.redis.scriptFlush();
		backend.store(TaskMetas.success("t2", 6));
		assertThat(backend.get("t2").result()).isEqualTo(6);
	}

	@Test
	void usesAPlainSetWhenResultsNeverExpire() {
		RedisResultBackend backend = backend("forever", Duration.ZERO);
		backend.store(TaskMetas.success("t1", 5));
		assertThat(this.redis.ttl("celery-task-meta-t1")).isEqualTo(-1);
	}

	@Test
	void keepsAnExpiryFinerThanSeconds() {
		RedisResultBackend backend = backend("millis", Duration.ofMillis(60_500));
		backend.store(TaskMetas.success("t1", 5));
		assertThat(this.redis.pttl("celery-task-meta-t1")).isBetween(50_000L, 60_500L);
	}

	@Test
	void neverOverwritesASuccessWithALaterFailure() throws InterruptedException {
		RedisResultBackend backend = backend("success-final", DAY);
		backend.store(TaskMetas.success("t1", 5));
		String stored = this.redis.get("celery-task-meta-t1");
		BlockingQueue<String> channels = subscribeChannels("celery-task-meta-t1", "celery-task-meta-t2");
		backend.store(TaskMetas.failure("t1", "ValueError", "redelivered duplicate"));
		backend.store(TaskMetas.success("t2", 6));
		assertThat(this.redis.get("celery-task-meta-t1")).isEqualTo(stored);
		assertThat(backend.get("t1").status()).isEqualTo(TaskState.SUCCESS);
		// Nothing was published for t1 either: messages reach a subscriber in the order
		// they were published, so one for t1 would arrive before t2's.
		assertThat(channels.poll(30, TimeUnit.SECONDS)).isEqualTo("celery-task-meta-t2");
		assertThat(channels).isEmpty();
	}

	@Test
	void overwritesStatesOtherThanSuccess() {
		RedisResultBackend backend = backend("overwrite", DAY);
		backend.store(TaskMetas.started("t1"));
		backend.store(TaskMetas.failure("t1", "ValueError", "first attempt"));
		backend.store(TaskMetas.success("t1", 7));
		assertThat(backend.get("t1").result()).isEqualTo(7);
	}

	@Test
	void readsAMissingKeyAsPending() {
		RedisResultBackend backend = backend("pending", DAY);
		TaskMeta meta = backend.get("nope");
		assertThat(meta.status()).isEqualTo(TaskState.PENDING);
		assertThat(meta.taskId()).isEqualTo("nope");
	}

	@Test
	void readsARecordWrittenByPythonCelery() throws InterruptedException {
		RedisResultBackend backend = backend("python", DAY);
		String taskId = "5b2123a3-f0bf-4b47-8776-605f5cd63f11";
		this.redis.set("celery-task-meta-" + taskId, CeleryWireVectors.read("result-failure.json"));
		TaskMeta meta = backend.get(taskId);
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		assertThat(meta.exception()).isEqualTo(new ExceptionInfo("ValueError", List.of("boom: bad value"), "builtins"));
		assertThat(meta.traceback()).endsWith("ValueError: boom: bad value\n");
		assertThat(meta.dateDone()).isEqualTo("2026-11-24T22:00:21.902784");
		assertThat(backend.await(taskId, LONG)).isEqualTo(meta);
	}

	@Test
	void readsTheExtendedRecordOfPythonCelery() {
		RedisResultBackend backend = backend("python-extended", DAY);
		String taskId = "3f27b858-325b-4a60-a62a-675413034de3";
		this.redis.set("celery-task-meta-" + taskId, CeleryWireVectors.read("result-extended-success.json"));
		TaskMeta meta = backend.get(taskId);
		assertThat(meta.result()).isEqualTo("Hi, Ada!");
		assertThat(meta.name()).isEqualTo("tasks.greet");
		assertThat(meta.kwargs()).isEqualTo(Map.of("greeting", "Hi"));
	}

	@Test
	void awaitWakesWhenAnotherThreadStoresWithoutPolling() throws Exception {
		RedisResultBackend backend = backend("wake", DAY);
		Future<TaskMeta> waiter = this.executor.submit(() -> backend.await("t1", LONG));
		awaitSubscribedAndRead("wake", "t1");
		resetCommandStatistics();
		backend.store(TaskMetas.started("t1"));
		backend.store(TaskMetas.success("t1", 5));
		// Far within the waiter's own timeout: it was woken, not timed out.
		TaskMeta meta = waiter.get(30, TimeUnit.SECONDS);
		assertThat(meta.status()).isEqualTo(TaskState.SUCCESS);
		assertThat(meta.result()).isEqualTo(5);
		// Two GETs, both by the stores: the waiter was woken by PUBLISH, it did not read.
		assertThat(commandCalls("get")).isEqualTo(2);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.pubsubNumsub("celery-task-meta-t1"))
				.containsEntry("celery-task-meta-t1", 0L));
	}

	@Test
	void awaitReturnsTheRecordAtItsTimeoutWithoutPolling() throws InterruptedException {
		RedisResultBackend backend = backend("timeout", DAY);
		backend.connection();
		resetCommandStatistics();
		TaskMeta meta = backend.await("t1", Duration.ofMillis(500));
		assertThat(meta.status()).isEqualTo(TaskState.PENDING);
		// One read once subscribed and one at the timeout; no polling in between.
		assertThat(commandCalls("get")).isEqualTo(2);
		assertThat(backend.waiting("t1")).isZero();
	}

	@Test
	void subscribesWhenATaskIsSentSoThatAwaitingItNeedsNoSubscribeOfItsOwn() throws Exception {
		RedisResultBackend client = backend("sender", DAY);
		RedisResultBackend worker = backend("worker", DAY);
		worker.connection();
		client.onTaskCall("t1");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.pubsubNumsub("celery-task-meta-t1"))
				.containsEntry("celery-task-meta-t1", 1L));
		resetCommandStatistics();
		Future<TaskMeta> waiter = this.executor.submit(() -> client.await("t1", LONG));
		awaitSubscribedAndRead("sender", "t1");
		worker.store(TaskMetas.success("t1", 5));
		assertThat(waiter.get(30, TimeUnit.SECONDS).result()).isEqualTo(5);
		assertThat(commandCalls("subscribe")).isZero();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.pubsubNumsub("celery-task-meta-t1"))
				.containsEntry("celery-task-meta-t1", 0L));
		assertThat(client.waiting("t1")).isZero();
	}

	@Test
	void keepsAResultThatArrivesBeforeAnyoneAwaitsItAndEndsItsSubscription() throws InterruptedException {
		RedisResultBackend client = backend("early", DAY);
		client.onTaskCall("t1");
		awaitSubscribed("t1");
		client.store(TaskMetas.success("t1", 5));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.pubsubNumsub("celery-task-meta-t1"))
				.containsEntry("celery-task-meta-t1", 0L));
		resetCommandStatistics();
		assertThat(client.await("t1", LONG).result()).isEqualTo(5);
		assertThat(client.await("t1", LONG).result()).isEqualTo(5);
		assertThat(commandCalls("get")).isZero();
	}

	@Test
	void forgetDropsAResultKeptForASentTask() throws InterruptedException {
		RedisResultBackend client = backend("forget-early", DAY);
		client.onTaskCall("t1");
		awaitSubscribed("t1");
		client.store(TaskMetas.success("t1", 5));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.pubsubNumsub("celery-task-meta-t1"))
				.containsEntry("celery-task-meta-t1", 0L));
		client.forget("t1");
		assertThat(client.await("t1", Duration.ofMillis(200)).status()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void listensForALimitedNumberOfSentTasksDroppingTheOldestFirst() throws Exception {
		RedisResultBackend client = backend("limit", DAY);
		ResultConsumer consumer = new ResultConsumer(client, 3);
		this.resources.add(consumer::close);
		List<String> ids = List.of("t1", "t2", "t3", "t4", "t5");
		ids.forEach(consumer::expect);
		// The subscribes and unsubscribes go out without waiting: t1, t2 and t3 may be
		// the
		// three subscribed for a moment, so wait for the final set itself.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.pubsubChannels("celery-task-meta-*"))
				.containsExactlyInAnyOrder("celery-task-meta-t3", "celery-task-meta-t4", "celery-task-meta-t5"));
		// A dropped one is still awaited correctly: it subscribes and reads as usual.
		client.store(TaskMetas.success("t1", 1));
		assertThat(consumer.await("t1", LONG).result()).isEqualTo(1);
		client.store(TaskMetas.success("t5", 5));
		assertThat(consumer.await("t5", LONG).result()).isEqualTo(5);
	}

	@Test
	void acceptsAnEndlessTimeout() throws Exception {
		RedisResultBackend backend = backend("endless", DAY);
		Future<TaskMeta> waiter = this.executor.submit(() -> backend.await("t1", Duration.ofSeconds(Long.MAX_VALUE)));
		awaitSubscribedAndRead("endless", "t1");
		backend.store(TaskMetas.success("t1", 5));
		assertThat(waiter.get(30, TimeUnit.SECONDS).result()).isEqualTo(5);
	}

	@Test
	void awaitReturnsANonReadyStateAtItsTimeout() throws InterruptedException {
		RedisResultBackend backend = backend("started", DAY);
		backend.store(TaskMetas.started("t1"));
		assertThat(backend.await("t1", Duration.ofMillis(200)).status()).isEqualTo(TaskState.STARTED);
	}

	@Test
	void wakesTwoThousandConcurrentWaitersOnOneConnection() throws Exception {
		RedisResultBackend backend = backend("many", DAY);
		int tasks = 2000;
		ExecutorService waiters = Executors.newFixedThreadPool(tasks + 2,
				(runnable) -> new Thread(null, runnable, "waiter", 256 * 1024));
		this.resources.add(waiters::shutdownNow);
		List<String> ids = new ArrayList<>();
		List<Future<TaskMeta>> results = new ArrayList<>();
		for (int i = 0; i < tasks; i++) {
			String id = id();
			ids.add(id);
			results.add(waiters.submit(() -> backend.await(id, LONG)));
		}
		// Two more threads wait for the first task: one channel, three waiters.
		results.add(waiters.submit(() -> backend.await(ids.get(0), LONG)));
		results.add(waiters.submit(() -> backend.await(ids.get(0), LONG)));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> ids.stream().allMatch((id) -> backend.waiting(id) >= 1) && backend.waiting(ids.get(0)) == 3);
		await().atMost(Duration.ofSeconds(60)).until(() -> subscribedChannels() == tasks);
		for (int i = 0; i < tasks; i++) {
			backend.store(TaskMetas.success(ids.get(i), i));
		}
		for (int i = 0; i < tasks; i++) {
			assertThat(results.get(i).get(60, TimeUnit.SECONDS).result()).isEqualTo(i);
		}
		assertThat(results.get(tasks).get(60, TimeUnit.SECONDS).result()).isEqualTo(0);
		assertThat(results.get(tasks + 1).get(60, TimeUnit.SECONDS).result()).isEqualTo(0);
		await().atMost(Duration.ofSeconds(30)).until(() -> subscribedChannels() == 0);
		// One command connection and one pub/sub connection served them all.
		assertThat(clients("many")).hasSize(2);
	}

	@Test
	void reReadsAwaitedResultsAfterThePubSubConnectionIsLost() throws Exception {
		RedisResultBackend backend = backend("reconnect", DAY);
		Future<TaskMeta> waiter = this.executor.submit(() -> backend.await("t1", LONG));
		awaitSubscribedAndRead("reconnect", "t1");
		// Stored while nobody listens, as if published during the outage.
		this.redis.set("celery-task-meta-t1", CeleryWireVectors.read("result-success-int.json"));
		assertThat(waiter).isNotDone();
		Map<String, String> subscriber = clients("reconnect").stream()
			.filter((client) -> client.get("sub").equals("1"))
			.findFirst()
			.orElseThrow();
		this.redis.clientKill(KillArgs.Builder.id(Long.parseLong(subscriber.get("id"))));
		TaskMeta meta = waiter.get(30, TimeUnit.SECONDS);
		assertThat(meta.status()).isEqualTo(TaskState.SUCCESS);
		assertThat(meta.result()).isEqualTo(5);
	}

	@Test
	void keepsWaitingThroughALostConnectionForRecordsPublishedLater() throws Exception {
		RedisResultBackend backend = backend("resubscribe", DAY);
		Future<TaskMeta> waiter = this.executor.submit(() -> backend.await("t1", LONG));
		awaitSubscribedAndRead("resubscribe", "t1");
		Map<String, String> subscriber = clients("resubscribe").stream()
			.filter((client) -> client.get("sub").equals("1"))
			.findFirst()
			.orElseThrow();
		this.redis.clientKill(KillArgs.Builder.id(Long.parseLong(subscriber.get("id"))));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> clients("resubscribe").stream()
				.anyMatch((client) -> client.get("sub").equals("1") && !client.get("id").equals(subscriber.get("id"))));
		backend.store(TaskMetas.success("t1", 8));
		assertThat(waiter.get(30, TimeUnit.SECONDS).result()).isEqualTo(8);
	}

	@Test
	void forgetDeletesTheRecord() {
		RedisResultBackend backend = backend("forget", DAY);
		backend.store(TaskMetas.success("t1", 5));
		backend.forget("t1");
		assertThat(this.redis.exists("celery-task-meta-t1")).isZero();
		assertThat(backend.get("t1").status()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void closingFailsWaitersInsteadOfLeavingThemHanging() throws Exception {
		RedisResultBackend backend = backend("close", DAY);
		Future<TaskMeta> waiter = this.executor.submit(() -> backend.await("t1", LONG));
		awaitSubscribedAndRead("close", "t1");
		backend.close();
		assertThat(waiter).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("t1")
			.withMessageContaining("closed");
	}

	@Test
	void pingsAndShowsItsUrl() {
		RedisResultBackend backend = backend("ping", DAY);
		backend.ping();
		assertThat(backend.maskedUrl()).isEqualTo(this.server.url(DB));
	}

	@Test
	void createsAnOwnedBackendFromAUrlAndHidesThePassword() {
		String url = "redis://:s3cret@" + this.server.host() + ":" + this.server.port() + "/" + DB;
		try (ResultBackend backend = ResultBackends.create(url, DAY)) {
			assertThat(backend).isInstanceOf(RedisResultBackend.class);
			assertThat(backend.maskedUrl())
				.isEqualTo("redis://:****@" + this.server.host() + ":" + this.server.port() + "/" + DB);
		}
	}

	@Test
	void storesAndReadsThroughAnOwnedBackend() {
		try (ResultBackend backend = ResultBackends.create(this.server.url(DB), DAY)) {
			backend.store(TaskMetas.success("t1", List.of(1, "two")));
			assertThat(backend.get("t1").result()).isEqualTo(List.of(1, "two"));
		}
	}

	/**
	 * Wait until the SUBSCRIBE that {@code onTaskCall} sends without waiting has reached
	 * Redis: a record stored before that is published to nobody.
	 */
	private void awaitSubscribed(String taskId) {
		String key = RedisResultBackend.key(taskId);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.redis.pubsubNumsub(key).get(key) == 1);
	}

	private void awaitSubscribedAndRead(String clientName, String taskId) {
		String key = RedisResultBackend.key(taskId);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.redis.pubsubNumsub(key).get(key) == 1);
		// The waiter's command connection has sent its GET: the next record can only
		// reach it through PUBLISH (or the re-read after a reconnect).
		await().atMost(Duration.ofSeconds(30))
			.until(() -> clients(clientName).stream()
				.anyMatch((client) -> client.get("sub").equals("0") && client.get("cmd").equals("get")));
	}

	private long subscribedChannels() {
		return this.redis.pubsubChannels("celery-task-meta-*").size();
	}

	private List<Map<String, String>> clients(String name) {
		List<Map<String, String>> clients = new ArrayList<>();
		for (String line : this.redis.clientList().split("\n")) {
			Map<String, String> fields = new java.util.HashMap<>();
			for (String field : line.trim().split(" ")) {
				int equals = field.indexOf('=');
				if (equals > 0) {
					fields.put(field.substring(0, equals), field.substring(equals + 1));
				}
			}
			if (name.equals(fields.get("name"))) {
				clients.add(fields);
			}
		}
		return clients;
	}

	private void resetCommandStatistics() {
		this.redis.configResetstat();
	}

	private long commandCalls(String command) {
		Pattern pattern = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)");
		Matcher matcher = pattern.matcher(this.redis.info("commandstats"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

}
