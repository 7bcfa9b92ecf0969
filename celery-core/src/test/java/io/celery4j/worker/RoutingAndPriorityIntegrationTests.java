package io.celery4j.worker;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRouter;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing ({@code celery.task.routes}, a task's own queue, the queue given when sending)
 * and priorities on a real Redis broker: each message lands in the list kombu would put
 * it in, and a worker with one slot serves the lower priority step first.
 */
class RoutingAndPriorityIntegrationTests {

	private static final int BROKER_DB = 8;

	private static final String SEPARATOR = "\u0006\u0016";

	private final TestWorker harness = TestWorker.onRedis(BROKER_DB, 9);

	private final RedisKeys keys = new RedisKeys(BROKER_DB);

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	private final String mail = "mail-" + this.suffix;

	private final String reports = "reports-" + this.suffix;

	private final String own = "own-" + this.suffix;

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private final CeleryClient client;

	RoutingAndPriorityIntegrationTests() {
		Map<String, String> routes = new LinkedHashMap<>();
		// The exact name wins over a glob declared before it, as in Celery's MapRoute.
		routes.put("reports.*", this.reports);
		routes.put("reports.daily", this.mail);
		routes.put("tasks.mail", this.mail);
		this.client = new CeleryClient(this.harness.broker, this.harness.backend,
				new TaskRouter(routes, this.harness.registry, this.harness.queue), ZoneOffset.UTC);
		for (String name : List.of("tasks.mail", "reports.daily", "reports.monthly", "tasks.other")) {
			this.harness.task(name, (context) -> context.getRoutingKey());
		}
		this.harness.task("tasks.own", new TaskOptions(this.own, false, false), (context) -> context.getRoutingKey());
		this.harness.task("tasks.record", (context) -> {
			this.ran.add((String) context.getArgs().get(0));
			return context.getPriority();
		});
	}

	@AfterEach
	void close() {
		this.keys.close();
		this.harness.close();
	}

	@Test
	void routesByExactNameThenGlobThenTheDefaultQueue() throws InterruptedException {
		AsyncResult mailed = this.client.send("tasks.mail");
		AsyncResult daily = this.client.send("reports.daily");
		AsyncResult monthly = this.client.send("reports.monthly");
		AsyncResult other = this.client.send("tasks.other");
		assertThat(this.keys.queuedIds(this.mail)).containsExactly(mailed.getId(), daily.getId());
		assertThat(this.keys.queuedIds(this.reports)).containsExactly(monthly.getId());
		assertThat(this.keys.queuedIds(this.harness.queue)).containsExactly(other.getId());
		startWorker(List.of(this.mail, this.reports, this.harness.queue), 2);
		assertThat(mailed.get(TestWorker.TIMEOUT)).isEqualTo(this.mail);
		assertThat(daily.get(TestWorker.TIMEOUT)).isEqualTo(this.mail);
		assertThat(monthly.get(TestWorker.TIMEOUT)).isEqualTo(this.reports);
		assertThat(other.get(TestWorker.TIMEOUT)).isEqualTo(this.harness.queue);
	}

	@Test
	void sendsToTheTasksOwnQueueUnlessTheSenderNamesOne() {
		AsyncResult owned = this.client.send("tasks.own");
		AsyncResult redirected = this.client.send("tasks.own", List.of(), Map.of(),
				SendOptions.defaults().queue(this.reports));
		assertThat(this.keys.queuedIds(this.own)).containsExactly(owned.getId());
		assertThat(this.keys.queuedIds(this.reports)).containsExactly(redirected.getId());
		startWorker(List.of(this.own, this.reports), 2);
		assertThat(owned.get(TestWorker.TIMEOUT)).isEqualTo(this.own);
		assertThat(redirected.get(TestWorker.TIMEOUT)).isEqualTo(this.reports);
	}

	@Test
	void putsEachPriorityInKombusListForItsStep() {
		String queue = this.harness.queue;
		Map<Integer, String> ids = new LinkedHashMap<>();
		for (int priority = 0; priority <= 9; priority++) {
			ids.put(priority, send(priority, "p" + priority).getId());
		}
		assertThat(this.keys.queuedIds(queue)).containsExactly(ids.get(0), ids.get(1), ids.get(2));
		assertThat(this.keys.queuedIds(queue + SEPARATOR + "3")).containsExactly(ids.get(3), ids.get(4), ids.get(5));
		assertThat(this.keys.queuedIds(queue + SEPARATOR + "6")).containsExactly(ids.get(6), ids.get(7), ids.get(8));
		assertThat(this.keys.queuedIds(queue + SEPARATOR + "9")).containsExactly(ids.get(9));
		startWorker(List.of(queue), 1);
		assertThat(send(7, "late").get(TestWorker.TIMEOUT)).as("priority the task sees").isEqualTo(7);
	}

	@Test
	void workerServesTheLowerPriorityStepFirstOnceStarted() {
		// Filled while no worker runs; priorities 0-2 are one step, as are 3-5 and 6-8.
		int[] priorities = { 9, 5, 0, 7, 3, 2, 9, 6, 0, 4 };
		List<AsyncResult> results = new ArrayList<>();
		for (int i = 0; i < priorities.length; i++) {
			results.add(send(priorities[i], i + ":" + priorities[i]));
		}
		startWorker(List.of(this.harness.queue), 1);
		results.forEach((result) -> result.get(TestWorker.TIMEOUT));
		await().atMost(TestWorker.TIMEOUT).until(() -> this.ran.size() == priorities.length);
		assertThat(this.ran).containsExactly("2:0", "5:2", "8:0", "1:5", "4:3", "9:4", "3:7", "7:6", "0:9", "6:9");
	}

	private AsyncResult send(int priority, String label) {
		return this.client.send("tasks.record", List.of(label), Map.of(), SendOptions.defaults().priority(priority));
	}

	private void startWorker(List<String> queues, int concurrency) {
		// One slot and a prefetch of one: each fetch takes the best message left.
		this.harness.start(new WorkerOptions("routing-" + this.suffix + "@" + NodeNames.hostname(), concurrency,
				PoolType.THREADS, queues, 1, Duration.ofSeconds(10), Duration.ofHours(1), ZoneOffset.UTC));
	}

}
