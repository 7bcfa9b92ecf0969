package io.celery4j.broker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.broker.Broker;
import io.celery4j.broker.BrokerUrl;
import io.celery4j.broker.Brokers;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.KombuVectors;
import io.celery4j.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisBroker} against a real Redis, checking the raw keys against kombu's layout
 * (PROTOCOL.md section 2). Uses db 11 only, flushed before each test.
 */
class RedisBrokerIntegrationTests {

	private static final int DB = 11;

	private static final String SEP = "\u0006\u0016";

	private static final Duration NO_WAIT = Duration.ZERO;

	private static LettuceConnectionFactory rawFactory;

	private RedisConnection raw;

	private Broker broker;

	@BeforeAll
	static void startRedis() {
		rawFactory = RedisConnectionFactories.create(BrokerUrl.parse(RedisTestServer.get().url(DB)));
	}

	@AfterAll
	static void stopFactory() {
		rawFactory.destroy();
	}

	@BeforeEach
	void flushAndCreateBroker() {
		this.raw = rawFactory.getConnection();
		this.raw.serverCommands().flushDb();
		this.broker = Brokers.create(RedisTestServer.get().url(DB));
	}

	@AfterEach
	void close() {
		this.broker.close();
		this.raw.close();
	}

	@Test
	void declareQueueAddsKombusBindingMember() {
		this.broker.declareQueue("celery");
		assertThat(members("_kombu.binding.celery")).containsExactly("celery" + SEP + SEP + "celery");
	}

	@Test
	void declareQueueWritesTheBindingOncePerBroker() {
		this.broker.declareQueue("celery");
		this.raw.keyCommands().del(bytes("_kombu.binding.celery"));
		this.broker.declareQueue("celery");
		assertThat(this.raw.keyCommands().exists(bytes("_kombu.binding.celery"))).isFalse();
	}

	@Test
	void publishPushesOntoTheListOfThePriorityStep() {
		this.broker.publish("celery", 0, "p0");
		this.broker.publish("celery", 2, "p2");
		this.broker.publish("celery", 4, "p4");
		this.broker.publish("celery", 7, "p7");
		this.broker.publish("celery", 9, "p9");
		assertThat(list("celery")).containsExactly("p2", "p0");
		assertThat(list("celery" + SEP + "3")).containsExactly("p4");
		assertThat(list("celery" + SEP + "6")).containsExactly("p7");
		assertThat(list("celery" + SEP + "9")).containsExactly("p9");
	}

	@Test
	void publishStoresTheEnvelopeByteForByte() {
		String envelope = "{\"body\":\"e30=\",\"headers\":{\"argsrepr\":\"('Zoë', '\\u00e9')\"}}";
		this.broker.publish("celery", 0, envelope);
		assertThat(this.raw.listCommands().lIndex(bytes("celery"), 0))
			.isEqualTo(envelope.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void fetchReadsAMessagePushedByPythonAndRecordsItAsKombuDoes() throws InterruptedException {
		this.raw.listCommands().lPush(bytes("celery"), bytes(KombuVectors.TASK_ADD));
		double before = epochSeconds();
		List<Delivery> deliveries = this.broker.fetch(List.of("celery"), 4, NO_WAIT);
		double after = epochSeconds();
		String tag = "1bdf5057-62ff-4e48-b70d-0af431ff1180";
		assertThat(deliveries).containsExactly(new Delivery("celery", tag, "", "celery", KombuVectors.TASK_ADD));
		awaitUnacked(1);
		assertThat(string(this.raw.hashCommands().hGet(bytes("unacked"), bytes(tag))))
			.isEqualTo("[" + KombuVectors.TASK_ADD + ", \"\", \"celery\"]");
		assertThat(this.raw.zSetCommands().zScore(bytes("unacked_index"), bytes(tag))).isBetween(before, after);
		assertThat(this.raw.listCommands().lLen(bytes("celery"))).isZero();
	}

	@Test
	void unackedEntryIsByteIdenticalToKombusVector() throws InterruptedException {
		String suffix = ", \"\", \"celery\"]";
		assertThat(KombuVectors.UNACKED_ENTRY).startsWith("[").endsWith(suffix);
		String message = KombuVectors.UNACKED_ENTRY.substring(1, KombuVectors.UNACKED_ENTRY.length() - suffix.length());
		this.raw.listCommands().lPush(bytes("celery"), bytes(message));
		Delivery delivery = this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0);
		assertThat(delivery.deliveryTag()).isEqualTo("9e7fd672-3147-49be-aa5c-e6db4432fe19");
		awaitUnacked(1);
		assertThat(this.raw.hashCommands().hGet(bytes("unacked"), bytes(delivery.deliveryTag())))
			.isEqualTo(bytes(KombuVectors.UNACKED_ENTRY));
	}

	@Test
	void messagesTakenWithoutBlockingAreRecordedByTheScriptThatTakesThem() throws InterruptedException {
		publish("celery", "a", "b", "c");
		List<Delivery> deliveries = this.broker.fetch(List.of("celery"), 4, NO_WAIT);
		// No wait for an asynchronous record: there is no moment in which a taken message
		// is in neither the queue nor unacked, so a worker killed now loses nothing.
		assertThat(this.raw.hashCommands().hLen(bytes("unacked"))).isEqualTo(3);
		assertThat(this.raw.zSetCommands().zCard(bytes("unacked_index"))).isEqualTo(3);
		for (Delivery delivery : deliveries) {
			assertThat(string(this.raw.hashCommands().hGet(bytes("unacked"), bytes(delivery.deliveryTag()))))
				.isEqualTo("[" + KombuVectors.taskAdd(delivery.deliveryTag()) + ", \"\", \"celery\"]");
		}
	}

	@Test
	void aRoutingKeyThatPythonEscapesIsRecordedAsKombuWritesIt() throws InterruptedException {
		String message = KombuVectors.taskAdd("e1")
			.replace("\"routing_key\": \"celery\"}", "\"routing_key\": \"caf\\u00e9 \\\"q\\\"\"}");
		assertThat(message).contains("caf\\u00e9 \\\"q\\\"");
		this.raw.listCommands().lPush(bytes("celery"), bytes(message));
		Delivery delivery = this.broker.fetch(List.of("celery"), 4, NO_WAIT).get(0);
		assertThat(delivery.routingKey()).isEqualTo("caf\u00e9 \"q\"");
		awaitUnacked(1);
		assertThat(string(this.raw.hashCommands().hGet(bytes("unacked"), bytes("e1"))))
			.isEqualTo("[" + message + ", \"\", \"caf\\u00e9 \\\"q\\\"\"]");
	}

	@Test
	void fetchServesTheLowestPriorityStepFirst() throws InterruptedException {
		this.broker.publish("celery", 9, KombuVectors.taskAdd("p9"));
		this.broker.publish("celery", 5, KombuVectors.taskAdd("p5"));
		this.broker.publish("celery", 0, KombuVectors.taskAdd("p0"));
		assertThat(tags(this.broker.fetch(List.of("celery"), 1, NO_WAIT))).containsExactly("p0");
		assertThat(tags(this.broker.fetch(List.of("celery"), 5, NO_WAIT))).containsExactly("p5", "p9");
	}

	@Test
	void fetchRotatesQueuesForFairness() throws InterruptedException {
		publish("q1", "q1-a", "q1-b", "q1-c");
		publish("q2", "q2-a", "q2-b");
		List<String> fetched = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			fetched.addAll(tags(this.broker.fetch(List.of("q1", "q2"), 1, NO_WAIT)));
		}
		assertThat(fetched).containsExactly("q1-a", "q2-a", "q1-b", "q2-b", "q1-c");
	}

	@Test
	void batchFetchTakesFromEachQueueInTurnAndRecordsEveryMessage() throws InterruptedException {
		publish("q1", "q1-a", "q1-b", "q1-c");
		publish("q2", "q2-a");
		List<Delivery> deliveries = this.broker.fetch(List.of("q1", "q2"), 3, NO_WAIT);
		assertThat(tags(deliveries)).containsExactly("q1-a", "q2-a", "q1-b");
		assertThat(deliveries).extracting(Delivery::queue).containsExactly("q1", "q2", "q1");
		awaitUnacked(3);
		assertThat(this.raw.zSetCommands().zCard(bytes("unacked_index"))).isEqualTo(3);
	}

	@Test
	void fetchWaitsForAMessagePublishedLater() {
		CompletableFuture<List<Delivery>> fetched = CompletableFuture.supplyAsync(() -> {
			try {
				return this.broker.fetch(List.of("celery"), 4, Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.raw.listCommands().lPush(bytes("celery" + SEP + "3"), bytes(KombuVectors.taskAdd("late")));
		assertThat(fetched).succeedsWithin(Duration.ofSeconds(30))
			.satisfies((deliveries) -> assertThat(tags(deliveries)).containsExactly("late"));
	}

	@Test
	void fetchReturnsTheMessageThatEndedABlockingPopAndTheNextFetchTheRest() throws InterruptedException {
		CompletableFuture<List<Delivery>> fetched = CompletableFuture.supplyAsync(() -> {
			try {
				return this.broker.fetch(List.of("celery"), 4, Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(this::aClientIsBlockedInBrpop);
		// One LPUSH with three values: BRPOP gets the first, the next fetch the other
		// two.
		this.raw.listCommands()
			.lPush(bytes("celery"), bytes(KombuVectors.taskAdd("c")), bytes(KombuVectors.taskAdd("d")),
					bytes(KombuVectors.taskAdd("e")));
		assertThat(fetched).succeedsWithin(Duration.ofSeconds(30))
			.satisfies((deliveries) -> assertThat(tags(deliveries)).containsExactly("c"));
		assertThat(tags(this.broker.fetch(List.of("celery"), 4, NO_WAIT))).containsExactly("d", "e");
		awaitUnacked(3);
	}

	/**
	 * Wait for the record of fetched messages, which the fetch does not wait for.
	 */
	private void awaitUnacked(int count) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.raw.hashCommands().hLen(bytes("unacked"))).isEqualTo(count));
	}

	private boolean aClientIsBlockedInBrpop() {
		return this.raw.serverCommands()
			.getClientList()
			.stream()
			.anyMatch((client) -> "brpop".equalsIgnoreCase(client.getLastCommand())
					&& Long.valueOf(DB).equals(client.getDatabaseId()) && client.getFlags().contains("b"));
	}

	@Test
	void fetchIsInterruptibleWhileBlocked() {
		CompletableFuture<Throwable> outcome = new CompletableFuture<>();
		Thread consumer = new Thread(() -> {
			try {
				this.broker.fetch(List.of("celery"), 1, Duration.ofMinutes(5));
				outcome.complete(null);
			}
			catch (Throwable ex) {
				outcome.complete(ex);
			}
		});
		consumer.start();
		await().atMost(Duration.ofSeconds(10)).until(this::aClientIsBlockedInBrpop);
		consumer.interrupt();
		assertThat(outcome).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(InterruptedException.class);
	}

	@Test
	void fetchDeclaresTheQueuesItConsumes() throws InterruptedException {
		this.broker.fetch(List.of("emails"), 1, NO_WAIT);
		assertThat(members("_kombu.binding.emails")).containsExactly("emails" + SEP + SEP + "emails");
	}

	@Test
	void fetchReturnsNothingWhenTheTimeoutPasses() throws InterruptedException {
		assertThat(this.broker.fetch(List.of("celery"), 4, Duration.ofSeconds(1))).isEmpty();
		assertThat(this.raw.keyCommands().exists(bytes("unacked"))).isFalse();
	}

	@Test
	void ackRemovesTheMessageFromUnackedAndItsIndex() throws InterruptedException {
		publish("celery", "a", "b");
		List<Delivery> deliveries = this.broker.fetch(List.of("celery"), 2, NO_WAIT);
		this.broker.ack(deliveries.get(0));
		// The ack's reply is not awaited by the caller.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.raw.hashCommands().hKeys(bytes("unacked")))
				.extracting(RedisBrokerIntegrationTests::string)
				.containsExactly("b"));
		assertThat(this.raw.zSetCommands().zRange(bytes("unacked_index"), 0, -1))
			.extracting(RedisBrokerIntegrationTests::string)
			.containsExactly("b");
	}

	@Test
	void recordsAndAcknowledgesWhenRedisForgotTheScripts() throws InterruptedException {
		publish("celery", "a", "b");
		this.raw.scriptingCommands().scriptFlush();
		List<Delivery> deliveries = this.broker.fetch(List.of("celery"), 2, NO_WAIT);
		awaitUnacked(2);
		this.raw.scriptingCommands().scriptFlush();
		this.broker.ack(deliveries.get(0));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.raw.hashCommands().hKeys(bytes("unacked")))
				.extracting(RedisBrokerIntegrationTests::string)
				.containsExactly("b"));
		assertThat(this.raw.zSetCommands().zRange(bytes("unacked_index"), 0, -1))
			.extracting(RedisBrokerIntegrationTests::string)
			.containsExactly("b");
	}

	@Test
	void restorePutsTheMessageAtTheConsumingEndMarkedRedelivered() throws InterruptedException {
		publish("celery", "a", "b");
		Delivery a = this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0);
		this.broker.restore(List.of(a));
		// RPUSH: the right end, where BRPOP takes from.
		assertThat(list("celery")).containsExactly(KombuVectors.taskAdd("b"), redelivered("a"));
		assertThat(this.raw.keyCommands().exists(bytes("unacked"))).isFalse();
		assertThat(this.raw.zSetCommands().zCard(bytes("unacked_index"))).isZero();
		assertThat(this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0).envelope()).isEqualTo(redelivered("a"));
	}

	@Test
	void restoreKeepsTheOrderOfTheGivenMessages() throws InterruptedException {
		publish("celery", "a", "b", "c");
		this.broker.restore(this.broker.fetch(List.of("celery"), 2, NO_WAIT));
		assertThat(tags(this.broker.fetch(List.of("celery"), 3, NO_WAIT))).containsExactly("a", "b", "c");
	}

	@Test
	void restoreGivesAPriorityMessageBackToTheBaseList() throws InterruptedException {
		this.broker.publish("celery", 9, KombuVectors.taskAdd("p9"));
		this.broker.restore(this.broker.fetch(List.of("celery"), 1, NO_WAIT));
		assertThat(list("celery")).containsExactly(redelivered("p9"));
		assertThat(this.raw.listCommands().lLen(bytes("celery" + SEP + "9"))).isZero();
	}

	@Test
	void restoreSkipsAMessageAlreadyAcknowledged() throws InterruptedException {
		publish("celery", "a");
		Delivery a = this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0);
		this.broker.ack(a);
		this.broker.restore(List.of(a));
		assertThat(this.broker.queueLength("celery")).isZero();
	}

	@Test
	void requeuePutsTheMessageAtTheFarEndAndAcknowledgesIt() throws InterruptedException {
		publish("celery", "a", "b");
		Delivery a = this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0);
		this.broker.requeue(a);
		// LPUSH: the left end, behind everything waiting.
		assertThat(list("celery")).containsExactly(redelivered("a"), KombuVectors.taskAdd("b"));
		assertThat(this.raw.keyCommands().exists(bytes("unacked"))).isFalse();
		assertThat(tags(this.broker.fetch(List.of("celery"), 2, NO_WAIT))).containsExactly("b", "a");
	}

	@Test
	void restoreExpiredGivesBackOnlyMessagesOlderThanTheTimeoutAndReleasesTheMutex() throws InterruptedException {
		publish("celery", "a");
		this.broker.fetch(List.of("celery"), 1, NO_WAIT);
		assertThat(this.broker.restoreExpired(Duration.ofHours(1))).isZero();
		assertThat(this.raw.hashCommands().hLen(bytes("unacked"))).isOne();
		assertThat(this.broker.restoreExpired(Duration.ZERO)).isOne();
		assertThat(list("celery")).containsExactly(redelivered("a"));
		assertThat(this.raw.keyCommands().exists(bytes("unacked"))).isFalse();
		assertThat(this.raw.keyCommands().exists(bytes("unacked_mutex"))).isFalse();
	}

	@Test
	void restoreExpiredDoesNothingWhileAnotherConsumerHoldsTheMutex() throws InterruptedException {
		publish("celery", "a");
		this.broker.fetch(List.of("celery"), 1, NO_WAIT);
		this.raw.stringCommands().set(bytes("unacked_mutex"), bytes("6d56fefae85211f18eff02fc00000001"));
		assertThat(this.broker.restoreExpired(Duration.ZERO)).isZero();
		assertThat(this.raw.hashCommands().hLen(bytes("unacked"))).isOne();
		assertThat(string(this.raw.stringCommands().get(bytes("unacked_mutex"))))
			.isEqualTo("6d56fefae85211f18eff02fc00000001");
	}

	@Test
	void restoreExpiredGivesBackAMessageAPythonWorkerLeftUnacknowledged() {
		String tag = "9e7fd672-3147-49be-aa5c-e6db4432fe19";
		this.raw.hashCommands().hSet(bytes("unacked"), bytes(tag), bytes(KombuVectors.UNACKED_ENTRY));
		this.raw.zSetCommands().zAdd(bytes("unacked_index"), 1795554014.4573438 - 7200, bytes(tag));
		String message = KombuVectors.UNACKED_ENTRY.substring(1,
				KombuVectors.UNACKED_ENTRY.length() - ", \"\", \"celery\"]".length());
		assertThat(this.broker.restoreExpired(Duration.ofHours(1))).isOne();
		assertThat(list("celery")).containsExactly(
				message.replace("\"ignore_result\": false}", "\"ignore_result\": false, \"redelivered\": true}")
					.replace("\"routing_key\": \"celery\"}", "\"routing_key\": \"celery\", \"redelivered\": true}"));
	}

	@Test
	void restoreFollowsTheBindingOfANamedExchange() {
		String entry = "[{\"headers\": {}, \"properties\": {\"delivery_info\": {\"exchange\": \"tasks\", "
				+ "\"routing_key\": \"mail.send\"}, \"delivery_tag\": \"t1\"}}, \"tasks\", \"mail.send\"]";
		this.raw.hashCommands().hSet(bytes("unacked"), bytes("t1"), bytes(entry));
		this.raw.zSetCommands().zAdd(bytes("unacked_index"), 1, bytes("t1"));
		this.raw.setCommands().sAdd(bytes("_kombu.binding.tasks"), bytes("mail.send" + SEP + SEP + "emails"));
		assertThat(this.broker.restoreExpired(Duration.ofHours(1))).isOne();
		assertThat(list("emails")).containsExactly("{\"headers\": {\"redelivered\": true}, \"properties\": "
				+ "{\"delivery_info\": {\"exchange\": \"tasks\", \"routing_key\": \"mail.send\", \"redelivered\": true}, "
				+ "\"delivery_tag\": \"t1\"}}");
	}

	@Test
	void aMessageThatIsNotJsonIsDeliveredRecordedAndCanBeRestored() throws InterruptedException {
		this.raw.listCommands().lPush(bytes("celery"), bytes("not json {\"x"));
		Delivery delivery = this.broker.fetch(List.of("celery"), 4, NO_WAIT).get(0);
		assertThat(delivery.envelope()).isEqualTo("not json {\"x");
		assertThat(delivery.deliveryTag()).matches("[0-9a-f-]{36}");
		assertThat(delivery.routingKey()).isEqualTo("celery");
		awaitUnacked(1);
		assertThat(string(this.raw.hashCommands().hGet(bytes("unacked"), bytes(delivery.deliveryTag()))))
			.isEqualTo("[\"not json {\\\"x\", \"\", \"celery\"]");
		this.broker.restore(List.of(delivery));
		assertThat(list("celery")).containsExactly("not json {\"x");
	}

	@Test
	void queueLengthCountsEveryPriorityStep() {
		this.broker.publish("celery", 0, "a");
		this.broker.publish("celery", 3, "b");
		this.broker.publish("celery", 6, "c");
		this.broker.publish("celery", 9, "d");
		this.broker.publish("celery", 9, "e");
		this.broker.publish("other", 0, "x");
		assertThat(this.broker.queueLength("celery")).isEqualTo(5);
		assertThat(this.broker.queueLength("missing")).isZero();
	}

	@Test
	void concurrentConsumersAndAcksLoseNothing() throws Exception {
		int total = 600;
		for (int i = 0; i < total; i++) {
			this.broker.publish((i % 2 == 0) ? "q1" : "q2", i % 10, KombuVectors.taskAdd("m" + i));
		}
		Set<String> received = ConcurrentHashMap.newKeySet();
		AtomicInteger duplicates = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(3);
		try {
			for (int c = 0; c < 3; c++) {
				executor.submit(() -> {
					while (!Thread.currentThread().isInterrupted() && received.size() < total) {
						List<Delivery> deliveries = this.broker.fetch(List.of("q1", "q2"), 16, Duration.ofSeconds(1));
						deliveries.parallelStream().forEach((delivery) -> {
							if (!received.add(delivery.deliveryTag())) {
								duplicates.incrementAndGet();
							}
							this.broker.ack(delivery);
						});
					}
					return null;
				});
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == total);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(duplicates).hasValue(0);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.raw.keyCommands().exists(bytes("unacked")));
		assertThat(this.raw.zSetCommands().zCard(bytes("unacked_index"))).isZero();
	}

	@Test
	void pingAnswersWhenRedisRuns() {
		this.broker.ping();
	}

	@Test
	void pingFailsWhenNothingListensOnThePort() {
		try (Broker unreachable = Brokers.create("redis://127.0.0.1:" + RedisTestServer.freePort() + "/0")) {
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(unreachable::ping);
		}
	}

	@Test
	void maskedUrlHidesThePassword() {
		int port = RedisTestServer.freePort();
		try (Broker secret = Brokers.create("redis://:s3cret@127.0.0.1:" + port + "/3")) {
			assertThat(secret.maskedUrl()).isEqualTo("redis://:****@127.0.0.1:" + port + "/3");
		}
	}

	@Test
	void closingABrokerOnAnApplicationFactoryLeavesTheFactoryRunning() {
		Broker onRawFactory = Brokers.redis(rawFactory, "redis://test/11");
		onRawFactory.ping();
		onRawFactory.close();
		assertThat(onRawFactory.maskedUrl()).isEqualTo("redis://test/11");
		try (RedisConnection connection = rawFactory.getConnection()) {
			assertThat(connection.ping()).isEqualToIgnoringCase("pong");
		}
	}

	@Test
	void closingABrokerCreatedFromAUrlDestroysItsFactory() {
		this.broker.ping();
		this.broker.close();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(this.broker::ping)
			.withMessageContaining("closed");
	}

	private void publish(String queue, String... tags) {
		for (String tag : tags) {
			this.broker.publish(queue, 0, KombuVectors.taskAdd(tag));
		}
	}

	private List<String> list(String key) {
		return this.raw.listCommands()
			.lRange(bytes(key), 0, -1)
			.stream()
			.map(RedisBrokerIntegrationTests::string)
			.toList();
	}

	private List<String> members(String key) {
		return this.raw.setCommands().sMembers(bytes(key)).stream().map(RedisBrokerIntegrationTests::string).toList();
	}

	private static String redelivered(String tag) {
		return KombuVectors.taskAdd(tag)
			.replace("\"ignore_result\": false}", "\"ignore_result\": false, \"redelivered\": true}")
			.replace("\"routing_key\": \"celery\"}", "\"routing_key\": \"celery\", \"redelivered\": true}");
	}

	private static List<String> tags(List<Delivery> deliveries) {
		return deliveries.stream().map(Delivery::deliveryTag).toList();
	}

	private static double epochSeconds() {
		Instant now = Instant.now();
		return now.getEpochSecond() + now.getNano() / 1e9;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
