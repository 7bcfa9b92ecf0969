package io.celery4j.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.SendOptions;
import io.celery4j.worker.WorkerContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Java worker's mailbox answering the control client on {@code memory://}.
 */
class PidboxTests {

	private final ControlHarness harness = ControlHarness.onMemory();

	private final CeleryControl control = new CeleryControl(this.harness.broker, Duration.ofMillis(500));

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void answersPingWithPong() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		assertThat(this.control.ping()).isEqualTo(Map.of(this.harness.nodeName, Map.of("ok", "pong")));
	}

	@Test
	void answersOnlyRequestsForItsNodeName() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		assertThat(this.control.ping(List.of("other@host"))).isEmpty();
		assertThat(this.control.ping(List.of(this.harness.nodeName))).containsOnlyKeys(this.harness.nodeName);
	}

	@Test
	void listsRegisteredTasksSortedWithoutCeleryBuiltins() {
		this.harness.task("tasks.mul", (context) -> 1)
			.task("tasks.add", (context) -> 1)
			.task("celery.chord_unlock", (context) -> null)
			.start(1);
		assertThat(this.control.registered())
			.isEqualTo(Map.of(this.harness.nodeName, List.of("tasks.add", "tasks.mul")));
	}

	@Test
	void reportsStatsWithTotalsPoolAndBroker() {
		this.harness.task("tasks.add", (context) -> 5).start(2);
		this.harness.client.send("tasks.add", 2, 3).get(ControlHarness.TIMEOUT);
		Map<String, Object> stats = reply(this.control.stats());
		assertThat(stats).containsKeys("total", "pid", "clock", "uptime", "pool", "broker", "prefetch_count", "rusage");
		assertThat(stats.get("total")).isEqualTo(Map.of("tasks.add", 1));
		assertThat(stats.get("clock")).isInstanceOf(String.class);
		assertThat(stats.get("prefetch_count")).isEqualTo(8);
		assertThat(((Map<?, ?>) stats.get("pool")).get("max-concurrency")).isEqualTo(2);
		assertThat(((Map<?, ?>) stats.get("broker")).get("transport")).isEqualTo("memory");
	}

	@Test
	void listsActiveRequestsInCeleryShape() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.harness.task("tasks.sleep", (context) -> release.await(10, TimeUnit.SECONDS)).start(1);
		AsyncResult result = this.harness.client.send("tasks.sleep", 2);
		try {
			await().atMost(ControlHarness.TIMEOUT).until(() -> !replyList(this.control.active()).isEmpty());
			Map<?, ?> active = (Map<?, ?>) replyList(this.control.active()).get(0);
			assertThat(active.get("id")).isEqualTo(result.getId());
			assertThat(active.get("name")).isEqualTo("tasks.sleep");
			assertThat(active.get("type")).isEqualTo("tasks.sleep");
			assertThat(active.get("args")).isEqualTo(List.of(2));
			assertThat(active.get("hostname")).isEqualTo(this.harness.nodeName);
			assertThat(active.get("acknowledged")).isEqualTo(true);
			assertThat(active.get("time_start")).isInstanceOf(Double.class);
			assertThat(((Map<?, ?>) active.get("delivery_info")).get("routing_key")).isEqualTo(this.harness.queue);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void revokesAScheduledTaskWhichEndsRevokedWhenItsEtaComes() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		AsyncResult result = this.harness.client.send("tasks.add", List.of(1, 1), Map.of(),
				SendOptions.defaults().countdown(Duration.ofSeconds(2)));
		await().atMost(ControlHarness.TIMEOUT).until(() -> !replyList(this.control.scheduled()).isEmpty());
		Map<?, ?> scheduled = (Map<?, ?>) replyList(this.control.scheduled()).get(0);
		assertThat(scheduled.get("priority")).isEqualTo(6);
		assertThat(((Map<?, ?>) scheduled.get("request")).get("id")).isEqualTo(result.getId());
		assertThat(this.control.revoke(result.getId(), false))
			.isEqualTo(Map.of(this.harness.nodeName, Map.of("ok", "tasks " + result.getId() + " flagged as revoked")));
		TaskMeta meta = await().atMost(ControlHarness.TIMEOUT)
			.until(() -> this.harness.backend.get(result.getId()), (m) -> m.isReady());
		assertThat(meta.status()).isEqualTo(TaskState.REVOKED);
		assertThat(meta.exception().message()).isEqualTo("revoked");
		assertThat(replyList(this.control.revoked())).containsExactly(result.getId());
	}

	@Test
	void terminatesARunningTaskThatIgnoresTheInterruptAndFreesItsSlot() {
		CountDownLatch never = new CountDownLatch(1);
		WorkerContainer worker = this.harness.task("tasks.stubborn", (context) -> {
			while (never.getCount() > 0) {
				try {
					never.await();
				}
				catch (InterruptedException ex) {
					// ignores the interrupt on purpose
				}
			}
			return null;
		}).task("tasks.add", (context) -> 5).start(1);
		AsyncResult stubborn = this.harness.client.send("tasks.stubborn");
		try {
			await().atMost(ControlHarness.TIMEOUT).until(() -> worker.getState().getActive().size() == 1);
			assertThat(this.control.revoke(stubborn.getId(), true))
				.isEqualTo(Map.of(this.harness.nodeName, Map.of("ok", "terminate: " + stubborn.getId())));
			TaskMeta meta = await().atMost(ControlHarness.TIMEOUT)
				.until(() -> this.harness.backend.get(stubborn.getId()), (m) -> m.isReady());
			assertThat(meta.status()).isEqualTo(TaskState.REVOKED);
			assertThat(meta.exception().message()).isEqualTo("terminated");
			assertThat(this.harness.client.send("tasks.add", 2, 3).get(ControlHarness.TIMEOUT)).isEqualTo(5);
		}
		finally {
			never.countDown();
		}
	}

	@Test
	void repliesTerminateTasksUnknownForIdsNotHeld() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		assertThat(this.control.revoke("00000000-0000-0000-0000-000000000000", true))
			.isEqualTo(Map.of(this.harness.nodeName, Map.of("ok", "terminate: tasks unknown")));
	}

	@Test
	void addsAndCancelsConsumersAtRuntime() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		String other = this.harness.queue + "-other";
		assertThat(this.control.broadcast("add_consumer", Map.of("queue", other), null, true, Duration.ofMillis(500)))
			.isEqualTo(Map.of(this.harness.nodeName, Map.of("ok", "add consumer " + other)));
		assertThat(replyList(this.control.activeQueues()))
			.extracting((queue) -> (Object) ((Map<?, ?>) queue).get("name"))
			.containsExactly((Object) this.harness.queue, other);
		assertThat(this.harness.client.send("tasks.add", List.of(2, 3), Map.of(), SendOptions.defaults().queue(other))
			.get(ControlHarness.TIMEOUT)).isEqualTo(5);
		assertThat(
				this.control.broadcast("cancel_consumer", Map.of("queue", other), null, true, Duration.ofMillis(500)))
			.isEqualTo(Map.of(this.harness.nodeName, Map.of("ok", "no longer consuming from " + other)));
		assertThat(replyList(this.control.activeQueues())).hasSize(1);
	}

	@Test
	void refusesRemoteShutdownUnlessEnabled() {
		WorkerContainer worker = this.harness.task("tasks.add", (context) -> 5).start(1);
		Map<String, @Nullable Object> replies = this.control.broadcast("shutdown", Map.of(), null, true,
				Duration.ofMillis(500));
		assertThat(String.valueOf(reply(replies).get("error"))).contains("celery.worker.remote-shutdown");
		assertThat(worker.isRunning()).isTrue();
	}

	@Test
	void stopsOnRemoteShutdownWhenEnabledWithoutReplying() {
		WorkerContainer worker = this.harness.task("tasks.add", (context) -> 5).start(this.harness.options(1), true);
		assertThat(this.control.broadcast("shutdown", Map.of(), null, true, Duration.ofMillis(500))).isEmpty();
		await().atMost(ControlHarness.TIMEOUT).until(() -> !worker.isRunning());
	}

	@Test
	void answersUnknownCommandsAndUnknownTasksWithCeleryErrors() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		assertThat(reply(this.control.broadcast("nope", Map.of(), null, true, Duration.ofMillis(500))))
			.isEqualTo(Map.of("error", "KeyError('nope')"));
		assertThat(reply(this.control.broadcast("rate_limit", Map.of("task_name", "tasks.nope", "rate_limit", "10/s"),
				null, true, Duration.ofMillis(500))))
			.isEqualTo(Map.of("error", "unknown task"));
	}

	@Test
	void storesNewRateAndTimeLimitsOnTheTaskOptions() {
		WorkerContainer worker = this.harness.task("tasks.add", (context) -> 5).start(1);
		assertThat(reply(this.control.broadcast("rate_limit", Map.of("task_name", "tasks.add", "rate_limit", "10/s"),
				null, true, Duration.ofMillis(500))))
			.isEqualTo(Map.of("ok", "new rate limit set successfully"));
		assertThat(worker.getRegistry().get("tasks.add").options().rateLimit().perSecond()).isEqualTo(10.0);
		assertThat(replyList(this.control.registered())).containsExactly("tasks.add [rate_limit=10/s]");
		assertThat(reply(this.control.broadcast("time_limit", Map.of("task_name", "tasks.add", "soft", 1.5, "hard", 3),
				null, true, Duration.ofMillis(500))))
			.isEqualTo(Map.of("ok", "time limits set successfully"));
		assertThat(worker.getRegistry().get("tasks.add").options().timeLimit()).isEqualTo(Duration.ofSeconds(3));
		assertThat(worker.getRegistry().get("tasks.add").options().softTimeLimit()).isEqualTo(Duration.ofMillis(1500));
		assertThat(reply(this.control.broadcast("rate_limit", Map.of("task_name", "tasks.add", "rate_limit", "x/y"),
				null, true, Duration.ofMillis(500)))
			.get("error")).asString().startsWith("Invalid rate limit string");
	}

	@Test
	@SuppressWarnings("unchecked")
	void answersMingleHelloFromOtherNodesWithItsRevokedIds() {
		this.harness.task("tasks.add", (context) -> 5).start(1);
		this.control.revoke("11111111-1111-1111-1111-111111111111", false);
		Map<String, Object> reply = reply(this.control.broadcast("hello",
				Map.of("from_node", "w2@vm", "revoked",
						Map.of("22222222-2222-2222-2222-222222222222",
								List.of(1.0, "22222222-2222-2222-2222-222222222222"))),
				null, true, Duration.ofMillis(500)));
		assertThat((Map<String, Object>) reply.get("revoked")).containsOnlyKeys("11111111-1111-1111-1111-111111111111",
				"22222222-2222-2222-2222-222222222222");
		assertThat(reply.get("clock")).isInstanceOf(Number.class);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> reply(Map<String, @Nullable Object> replies) {
		assertThat(replies).containsOnlyKeys(this.harness.nodeName);
		return (Map<String, Object>) replies.get(this.harness.nodeName);
	}

	@SuppressWarnings("unchecked")
	private List<Object> replyList(Map<String, @Nullable Object> replies) {
		assertThat(replies).containsOnlyKeys(this.harness.nodeName);
		return (List<Object>) replies.get(this.harness.nodeName);
	}

}
