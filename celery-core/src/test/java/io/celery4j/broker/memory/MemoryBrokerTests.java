package io.celery4j.broker.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.celery4j.broker.Delivery;
import io.celery4j.broker.KombuVectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class MemoryBrokerTests {

	private static final Duration NO_WAIT = Duration.ZERO;

	private final MemoryBroker broker = new MemoryBroker();

	@AfterEach
	void close() {
		this.broker.close();
	}

	@Test
	void fetchReturnsMessagesOfAQueueInPublishOrder() throws InterruptedException {
		publish("celery", 0, "a", "b", "c");
		assertThat(tags(this.broker.fetch(List.of("celery"), 10, NO_WAIT))).containsExactly("a", "b", "c");
	}

	@Test
	void fetchReturnsTheEnvelopeWithItsDeliveryTagAndDeliveryInfo() throws InterruptedException {
		this.broker.publish("celery", 0, KombuVectors.TASK_ADD);
		List<Delivery> deliveries = this.broker.fetch(List.of("celery"), 1, NO_WAIT);
		assertThat(deliveries).containsExactly(
				new Delivery("celery", "1bdf5057-62ff-4e48-b70d-0af431ff1180", "", "celery", KombuVectors.TASK_ADD));
	}

	@Test
	void lowerPriorityStepIsServedFirstAsKombuDoesOnRedis() throws InterruptedException {
		publish("celery", 9, "p9");
		publish("celery", 5, "p5");
		publish("celery", 6, "p6");
		publish("celery", 2, "p2");
		publish("celery", 3, "p3");
		publish("celery", 0, "p0");
		// Steps 0 (0-2), 3 (3-5), 6 (6-8), 9; FIFO inside a step.
		assertThat(tags(this.broker.fetch(List.of("celery"), 10, NO_WAIT))).containsExactly("p2", "p0", "p5", "p3",
				"p6", "p9");
	}

	@Test
	void prioritiesOutsideZeroToNineAreClamped() throws InterruptedException {
		publish("celery", 42, "high");
		publish("celery", -3, "low");
		assertThat(tags(this.broker.fetch(List.of("celery"), 10, NO_WAIT))).containsExactly("low", "high");
	}

	@Test
	void fetchReturnsAtMostMaxMessages() throws InterruptedException {
		publish("celery", 0, "a", "b", "c");
		assertThat(tags(this.broker.fetch(List.of("celery"), 2, NO_WAIT))).containsExactly("a", "b");
		assertThat(this.broker.queueLength("celery")).isOne();
	}

	@Test
	void fetchReturnsNothingWhenTheTimeoutPasses() throws InterruptedException {
		assertThat(this.broker.fetch(List.of("celery"), 4, Duration.ofMillis(50))).isEmpty();
	}

	@Test
	void fetchBlocksUntilAMessageIsPublished() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<List<Delivery>> fetched = executor
				.submit(() -> this.broker.fetch(List.of("celery"), 4, Duration.ofSeconds(30)));
			publish("celery", 0, "late");
			assertThat(tags(fetched.get(30, TimeUnit.SECONDS))).containsExactly("late");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void fetchIgnoresMessagesOfOtherQueues() throws InterruptedException {
		publish("other", 0, "x");
		assertThat(this.broker.fetch(List.of("celery"), 4, NO_WAIT)).isEmpty();
		assertThat(this.broker.queueLength("other")).isOne();
	}

	@Test
	void fetchRotatesQueuesForFairness() throws InterruptedException {
		publish("q1", 0, "q1-a", "q1-b", "q1-c");
		publish("q2", 0, "q2-a", "q2-b");
		List<String> fetched = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			fetched.addAll(tags(this.broker.fetch(List.of("q1", "q2"), 1, NO_WAIT)));
		}
		assertThat(fetched).containsExactly("q1-a", "q2-a", "q1-b", "q2-b", "q1-c");
	}

	@Test
	void batchFetchTakesFromEachQueueInTurn() throws InterruptedException {
		publish("q1", 0, "q1-a", "q1-b", "q1-c");
		publish("q2", 0, "q2-a");
		List<Delivery> deliveries = this.broker.fetch(List.of("q1", "q2"), 3, NO_WAIT);
		assertThat(tags(deliveries)).containsExactly("q1-a", "q2-a", "q1-b");
		assertThat(deliveries).extracting(Delivery::queue).containsExactly("q1", "q2", "q1");
	}

	@Test
	void fetchedMessagesStayUnacknowledgedUntilAcked() throws InterruptedException {
		publish("celery", 0, "a", "b");
		List<Delivery> deliveries = this.broker.fetch(List.of("celery"), 2, NO_WAIT);
		assertThat(this.broker.unackedCount()).isEqualTo(2);
		this.broker.ack(deliveries.get(0));
		assertThat(this.broker.unackedCount()).isOne();
		assertThat(this.broker.queueLength("celery")).isZero();
	}

	@Test
	void ackedMessagesAreNotRestored() throws InterruptedException {
		publish("celery", 0, "a");
		Delivery delivery = this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0);
		this.broker.ack(delivery);
		this.broker.restore(List.of(delivery));
		assertThat(this.broker.restoreExpired(Duration.ZERO)).isZero();
		assertThat(this.broker.queueLength("celery")).isZero();
	}

	@Test
	void requeuePutsTheMessageBehindEverythingWaitingAndMarksItRedelivered() throws InterruptedException {
		publish("celery", 0, "a", "b");
		Delivery a = this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0);
		this.broker.requeue(a);
		List<Delivery> next = this.broker.fetch(List.of("celery"), 2, NO_WAIT);
		assertThat(tags(next)).containsExactly("b", "a");
		assertThat(next.get(1).envelope()).contains("\"redelivered\": true}, \"properties\"")
			.contains("\"routing_key\": \"celery\", \"redelivered\": true}");
		assertThat(this.broker.unackedCount()).isEqualTo(2);
	}

	@Test
	void restorePutsMessagesAtTheConsumingEndInTheirOriginalOrder() throws InterruptedException {
		publish("celery", 0, "a", "b", "c");
		List<Delivery> fetched = this.broker.fetch(List.of("celery"), 2, NO_WAIT);
		this.broker.restore(fetched);
		assertThat(this.broker.unackedCount()).isZero();
		List<Delivery> again = this.broker.fetch(List.of("celery"), 3, NO_WAIT);
		assertThat(tags(again)).containsExactly("a", "b", "c");
		assertThat(again.get(0).envelope()).isEqualTo(redelivered("a"));
	}

	@Test
	void restoreGivesAPriorityMessageBackToTheBaseList() throws InterruptedException {
		publish("celery", 9, "p9");
		Delivery delivery = this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0);
		this.broker.restore(List.of(delivery));
		publish("celery", 6, "p6");
		assertThat(tags(this.broker.fetch(List.of("celery"), 2, NO_WAIT))).containsExactly("p9", "p6");
	}

	@Test
	void restoreExpiredReturnsOnlyMessagesOlderThanTheTimeout() throws InterruptedException {
		publish("celery", 0, "a", "b");
		this.broker.fetch(List.of("celery"), 2, NO_WAIT);
		assertThat(this.broker.restoreExpired(Duration.ofHours(1))).isZero();
		assertThat(this.broker.restoreExpired(Duration.ZERO)).isEqualTo(2);
		assertThat(this.broker.unackedCount()).isZero();
		assertThat(tags(this.broker.fetch(List.of("celery"), 2, NO_WAIT))).containsExactly("a", "b");
	}

	@Test
	void aMessageThatIsNotJsonIsDeliveredWithAGeneratedTag() throws InterruptedException {
		this.broker.publish("celery", 0, "not json {");
		Delivery delivery = this.broker.fetch(List.of("celery"), 1, NO_WAIT).get(0);
		assertThat(delivery.envelope()).isEqualTo("not json {");
		assertThat(delivery.deliveryTag()).hasSize(36);
		assertThat(delivery.exchange()).isEmpty();
		assertThat(delivery.routingKey()).isEqualTo("celery");
		assertThat(this.broker.unackedCount()).isOne();
		this.broker.ack(delivery);
		assertThat(this.broker.unackedCount()).isZero();
	}

	@Test
	void queueLengthCountsEveryPriority() {
		publish("celery", 0, "a");
		publish("celery", 4, "b");
		publish("celery", 7, "c");
		publish("celery", 9, "d");
		assertThat(this.broker.queueLength("celery")).isEqualTo(4);
		assertThat(this.broker.queueLength("unknown")).isZero();
	}

	@Test
	void concurrentProducersAndConsumersDeliverEveryMessageOnce() throws Exception {
		int producers = 4;
		int perProducer = 500;
		Set<String> received = ConcurrentHashMap.newKeySet();
		List<String> duplicates = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(producers + 2);
		try {
			for (int p = 0; p < producers; p++) {
				int producer = p;
				executor.submit(() -> {
					for (int i = 0; i < perProducer; i++) {
						publish((i % 2 == 0) ? "q1" : "q2", i % 10, producer + "-" + i);
					}
				});
			}
			for (int c = 0; c < 2; c++) {
				executor.submit(() -> {
					while (!Thread.currentThread().isInterrupted()) {
						for (Delivery delivery : this.broker.fetch(List.of("q1", "q2"), 8, Duration.ofMillis(100))) {
							if (!received.add(delivery.deliveryTag())) {
								synchronized (duplicates) {
									duplicates.add(delivery.deliveryTag());
								}
							}
							this.broker.ack(delivery);
						}
					}
					return null;
				});
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == producers * perProducer);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(duplicates).isEmpty();
		assertThat(this.broker.unackedCount()).isZero();
	}

	@Test
	void fetchIsInterruptible() {
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
		await().atMost(Duration.ofSeconds(10)).until(() -> consumer.getState() == Thread.State.TIMED_WAITING);
		consumer.interrupt();
		assertThat(outcome).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(InterruptedException.class);
	}

	@Test
	void closeEndsABlockedFetchAndLaterCallsFail() {
		CompletableFuture<List<Delivery>> fetched = new CompletableFuture<>();
		Thread consumer = new Thread(() -> {
			try {
				fetched.complete(this.broker.fetch(List.of("celery"), 4, Duration.ofMinutes(5)));
			}
			catch (Throwable ex) {
				fetched.completeExceptionally(ex);
			}
		});
		consumer.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> consumer.getState() == Thread.State.TIMED_WAITING);
		this.broker.close();
		assertThat(fetched).succeedsWithin(Duration.ofSeconds(10))
			.asInstanceOf(InstanceOfAssertFactories.LIST)
			.isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> this.broker.publish("celery", 0, "x"))
			.withMessageContaining("memory://");
		assertThatIllegalStateException().isThrownBy(this.broker::ping).withMessageContaining("closed");
	}

	@Test
	void fetchRejectsAMaxBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.broker.fetch(List.of("celery"), 0, NO_WAIT))
			.withMessageContaining("'max'");
	}

	@Test
	void fetchRejectsAnEmptyQueueList() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.broker.fetch(List.of(), 1, NO_WAIT))
			.withMessageContaining("'queues'");
	}

	@Test
	void maskedUrlIsTheMemoryScheme() {
		assertThat(this.broker.maskedUrl()).isEqualTo("memory://");
	}

	private void publish(String queue, int priority, String... tags) {
		for (String tag : tags) {
			this.broker.publish(queue, priority, KombuVectors.taskAdd(tag));
		}
	}

	private static String redelivered(String tag) {
		return KombuVectors.taskAdd(tag)
			.replace("\"ignore_result\": false}", "\"ignore_result\": false, \"redelivered\": true}")
			.replace("\"routing_key\": \"celery\"}", "\"routing_key\": \"celery\", \"redelivered\": true}");
	}

	private static List<String> tags(List<Delivery> deliveries) {
		return deliveries.stream().map(Delivery::deliveryTag).toList();
	}

}
