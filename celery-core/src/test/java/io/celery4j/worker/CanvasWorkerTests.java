package io.celery4j.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.Delivery;
import io.celery4j.canvas.Signature;
import io.celery4j.protocol.Embed;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.RetryOptions;
import io.celery4j.task.TaskContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker runs canvases as Celery's worker does (PROTOCOL.md section 4): callbacks,
 * chain steps, errbacks and chords, on the in-memory broker and backend.
 */
class CanvasWorkerTests {

	private final TaskMessageCodec codec = new TaskMessageCodec();

	private final BlockingQueue<List<@Nullable Object>> recorded = new LinkedBlockingQueue<>();

	private final AtomicInteger bodyRuns = new AtomicInteger();

	private final AtomicInteger flaky = new AtomicInteger();

	private final LogCapture errors = LogCapture.of(Level.ERROR, TaskTracer.class, CanvasCallbacks.class);

	private TestWorker harness;

	private WorkerContainer worker;

	/** A queue no worker consumes, to look at what the worker sends. */
	private final String sideQueue = "canvas-side-" + UUID.randomUUID();

	@BeforeEach
	void startWorker() {
		this.harness = TestWorker.onMemory()
			.task("tasks.add", (context) -> number(context, 0) + number(context, 1))
			.task("tasks.mul", (context) -> number(context, 0) * number(context, 1))
			.task("tasks.xsum", (context) -> {
				this.bodyRuns.incrementAndGet();
				return ((List<?>) context.getArgs().get(0)).stream().mapToLong((n) -> ((Number) n).longValue()).sum();
			})
			.task("tasks.echo", (context) -> context.getArgs().get(0))
			.task("tasks.record", (context) -> {
				this.recorded.add(new ArrayList<>(context.getArgs()));
				return context.getArgs();
			})
			.task("tasks.fail", (context) -> {
				throw new IllegalArgumentException(String.valueOf(context.getArgs().get(0)));
			})
			.task("tasks.flaky", (context) -> {
				if (this.flaky.getAndIncrement() == 0) {
					throw context.retry(RetryOptions.defaults().countdown(Duration.ZERO));
				}
				return 7;
			});
		this.worker = this.harness.start(4);
	}

	@AfterEach
	void stop() {
		this.harness.close();
		this.errors.close();
	}

	private static long number(TaskContext context, int index) {
		return ((Number) context.getArgs().get(index)).longValue();
	}

	@Test
	void runsAChainPassingEachResultToTheNextStepAndLinkingResultsByParent() {
		// chain(add.s(2, 3), mul.s(4), add.s(10)) as a Python client sends it.
		Signature mul = frozen(Signature.of("tasks.mul", 4));
		Signature add = frozen(Signature.of("tasks.add", 10));
		TaskMessage first = message("tasks.add", List.of(2, 3),
				new Embed(null, null, List.of(add.toJson(), mul.toJson()), null));
		send(first);
		TaskMeta last = ready(add.taskId());
		assertThat(last.result()).isEqualTo(30L);
		assertThat(last.parentId()).isEqualTo(mul.taskId());
		// Celery sends the next chain step before it stores the step's own result, so
		// the last step can be ready before the ones before it.
		TaskMeta middle = ready(mul.taskId());
		assertThat(middle.result()).isEqualTo(20L);
		assertThat(middle.parentId()).isEqualTo(first.id());
		assertThat(middle.children()).containsExactly(Arrays.asList(Arrays.asList(add.taskId(), null), null));
		assertThat(ready(first.id()).children())
			.containsExactly(Arrays.asList(Arrays.asList(mul.taskId(), null), null));
	}

	@Test
	void sendsTheNextChainStepAsCelerysWorkerDoes() throws InterruptedException {
		// Vector task-chain-step2.json: tasks.mul [5, 4], chain [add(10)], parent and
		// root the first task.
		Signature add = frozen(Signature.of("tasks.add", 10));
		Signature mul = frozen(Signature.of("tasks.mul", 4)).withQueue(this.sideQueue);
		TaskMessage first = message("tasks.add", List.of(2, 3),
				new Embed(null, null, List.of(add.toJson(), mul.toJson()), null));
		send(first);
		TaskMessage step = receiveFromSideQueue();
		assertThat(step.id()).isEqualTo(mul.taskId());
		assertThat(step.taskName()).isEqualTo("tasks.mul");
		assertThat(step.args()).containsExactly(5, 4);
		assertThat(step.embed().chain()).containsExactly(add.toJson());
		assertThat(step.headers().parentId()).isEqualTo(first.id());
		assertThat(step.headers().rootId()).isEqualTo(first.id());
		assertThat(step.headers().group()).isNull();
	}

	@Test
	void sendsTheLastChainStepWithAnEmptyChain() throws InterruptedException {
		Signature add = frozen(Signature.of("tasks.add", 10)).withQueue(this.sideQueue);
		send(message("tasks.mul", List.of(5, 4), new Embed(null, null, List.of(add.toJson()), null)));
		TaskMessage step = receiveFromSideQueue();
		assertThat(step.args()).containsExactly(20, 10);
		assertThat(step.embed().chain()).isEmpty();
	}

	@Test
	void inheritsThePriorityOfTheFinishedTaskUnlessTheSignatureSetsOne() throws InterruptedException {
		Signature own = Signature.of("tasks.add", 10).withQueue(this.sideQueue).withPriority(3);
		Signature inherited = Signature.of("tasks.add", 20).withQueue(this.sideQueue);
		TaskMessage parent = TaskMessage.builder("tasks.add")
			.args(List.of(2, 3))
			.queue(this.harness.queue)
			.priority(7)
			.embed(new Embed(List.of(inherited.toJson()), null, List.of(own.toJson()), null))
			.build();
		send(parent);
		List<TaskMessage> sent = List.of(receiveFromSideQueue(), receiveFromSideQueue());
		assertThat(sent).extracting((message) -> message.properties().priority()).containsExactlyInAnyOrder(3, 7);
	}

	@Test
	void sendsACallbackWithTheResultAndListsItAsChild() throws InterruptedException {
		Signature callback = Signature.of("tasks.record", 10);
		TaskMessage parent = message("tasks.add", List.of(2, 3),
				new Embed(List.of(callback.toJson()), null, null, null));
		send(parent);
		assertThat(this.recorded.poll(15, TimeUnit.SECONDS)).containsExactly(5, 10);
		TaskMeta meta = ready(parent.id());
		assertThat(meta.children()).hasSize(1);
		String childId = childId(meta.children().get(0));
		TaskMeta child = ready(childId);
		assertThat(child.parentId()).isEqualTo(parent.id());
	}

	@Test
	void sendsSeveralCallbacksAsOneGroup() throws InterruptedException {
		Signature first = Signature.of("tasks.record", "a").withQueue(this.sideQueue);
		Signature second = Signature.ofImmutable("tasks.record", "b").withQueue(this.sideQueue);
		TaskMessage parent = message("tasks.add", List.of(2, 3),
				new Embed(List.of(first.toJson(), second.toJson()), null, null, null));
		send(parent);
		List<TaskMessage> sent = List.of(receiveFromSideQueue(), receiveFromSideQueue());
		String groupId = sent.get(0).headers().group();
		assertThat(groupId).isNotNull();
		assertThat(sent).allSatisfy((message) -> {
			assertThat(message.headers().group()).isEqualTo(groupId);
			assertThat(message.headers().parentId()).isEqualTo(parent.id());
		});
		assertThat(sent).extracting(TaskMessage::args).containsExactlyInAnyOrder(List.of(5, "a"), List.of("b"));
		List<@Nullable Object> children = ready(parent.id()).children();
		assertThat(children).hasSize(1);
		assertThat(((List<?>) children.get(0)).get(0)).isEqualTo(Arrays.asList(groupId, null));
	}

	@Test
	void sendsErrbacksAsAGroupWithTheFailedTaskIdFirstUnlessImmutable() throws InterruptedException {
		Signature mutable = Signature.of("tasks.record", "x").withQueue(this.sideQueue);
		Signature immutable = Signature.ofImmutable("tasks.record", "failed").withQueue(this.sideQueue);
		TaskMessage failing = message("tasks.fail", List.of("boom"),
				new Embed(null, List.of(mutable.toJson(), immutable.toJson()), null, null));
		send(failing);
		List<TaskMessage> sent = List.of(receiveFromSideQueue(), receiveFromSideQueue());
		assertThat(sent).extracting(TaskMessage::args)
			.containsExactlyInAnyOrder(List.of(failing.id(), "x"), List.of("failed"));
		assertThat(sent).allSatisfy((message) -> {
			assertThat(message.headers().group()).isNotNull();
			assertThat(message.headers().parentId()).isEqualTo(failing.id());
			assertThat(message.headers().rootId()).isEqualTo(failing.id());
		});
		assertThat(ready(failing.id()).status()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void storesTheFailureForEveryRemainingChainStep() {
		Signature third = frozen(Signature.of("tasks.add", 10));
		Signature second = frozen(Signature.of("tasks.mul", 4));
		TaskMessage failing = message("tasks.fail", List.of("early"),
				new Embed(null, null, List.of(third.toJson(), second.toJson()), null));
		send(failing);
		TaskMeta last = ready(third.taskId());
		assertThat(last.status()).isEqualTo(TaskState.FAILURE);
		assertThat(last.exception()).isEqualTo(new ExceptionInfo("ValueError", List.of("early"), "builtins"));
		// Awaited too: the remaining steps are stored one after the other.
		assertThat(ready(second.taskId()).status()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void sendsNoCallbackWhileATaskRetriesAndOneAfterItSucceeds() throws InterruptedException {
		Signature callback = Signature.of("tasks.record");
		TaskMessage parent = message("tasks.flaky", List.of(), new Embed(List.of(callback.toJson()), null, null, null));
		send(parent);
		assertThat(this.recorded.poll(15, TimeUnit.SECONDS)).containsExactly(7);
		assertThat(ready(parent.id()).result()).isEqualTo(7);
		assertThat(this.flaky).hasValue(2);
	}

	@Test
	void firesTheChordBodyOnceWithTheHeaderResultsInOrder() {
		Signature body = frozen(Signature.of("tasks.xsum"));
		String groupId = UUID.randomUUID().toString();
		List<TaskMessage> header = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			header.add(member("tasks.add", List.of(i, i), groupId, i, body));
		}
		this.harness.backend.setChordSize(groupId, header.size());
		header.forEach(this::send);
		TaskMeta result = ready(body.taskId());
		assertThat(result.result()).isEqualTo(6L);
		assertThat(result.parentId()).isIn(header.stream().map(TaskMessage::id).toList());
		assertThat(this.bodyRuns).hasValue(1);
		assertThat(this.harness.backend.get(header.get(0).id()).groupId()).isEqualTo(groupId);
	}

	@Test
	void passesAThousandHeaderResultsToTheBodyInGroupIndexOrder() throws InterruptedException {
		Signature body = frozen(Signature.of("tasks.echo"));
		String groupId = UUID.randomUUID().toString();
		List<TaskMessage> header = new ArrayList<>();
		List<Object> expected = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			header.add(member("tasks.echo", List.of(i), groupId, i, body));
			expected.add(i);
		}
		this.harness.backend.setChordSize(groupId, header.size());
		// Sent in reverse: the order comes from group_index, not from finishing order.
		for (int i = header.size() - 1; i >= 0; i--) {
			send(header.get(i));
		}
		TaskMeta result = this.harness.backend.await(body.taskId(), Duration.ofSeconds(60));
		assertThat(result.result()).isEqualTo(expected);
	}

	@Test
	void failsTheChordBodyWithCelerysChordErrorWhenAMemberFails() throws InterruptedException {
		Signature errback = Signature.of("tasks.record").withQueue(this.sideQueue);
		Signature body = frozen(Signature.of("tasks.xsum")).linkError(errback);
		String groupId = UUID.randomUUID().toString();
		TaskMessage ok = member("tasks.add", List.of(1, 1), groupId, 0, body);
		TaskMessage bad = member("tasks.fail", List.of("bad member"), groupId, 1, body);
		this.harness.backend.setChordSize(groupId, 2);
		send(ok);
		send(bad);
		TaskMeta result = ready(body.taskId());
		assertThat(result.status()).isEqualTo(TaskState.FAILURE);
		assertThat(result.exception()).isEqualTo(new ExceptionInfo("ChordError",
				List.of("Dependency " + bad.id() + " raised ValueError('bad member')"), "celery.exceptions"));
		assertThat(this.bodyRuns).hasValue(0);
		TaskMessage sentErrback = receiveFromSideQueue();
		assertThat(sentErrback.args()).containsExactly(body.taskId());
		assertThat(sentErrback.headers().parentId()).isEqualTo(body.taskId());
	}

	@Test
	void countsARevokedMemberAsFailedInItsChord() {
		Signature body = frozen(Signature.of("tasks.xsum"));
		String groupId = UUID.randomUUID().toString();
		TaskMessage ok = member("tasks.add", List.of(1, 1), groupId, 0, body);
		TaskMessage revoked = member("tasks.add", List.of(2, 2), groupId, 1, body);
		this.harness.backend.setChordSize(groupId, 2);
		this.worker.revoke(List.of(revoked.id()), false, 0);
		send(ok);
		send(revoked);
		TaskMeta result = ready(body.taskId());
		assertThat(result.exception().message())
			.isEqualTo("Dependency " + revoked.id() + " raised TaskRevokedError('revoked')");
	}

	private TaskMeta ready(@Nullable String taskId) {
		assertThat(taskId).isNotNull();
		try {
			TaskMeta meta = this.harness.backend.await(taskId, TestWorker.TIMEOUT);
			assertThat(meta.isReady()).as("task %s ready", taskId).isTrue();
			return meta;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Signature frozen(Signature signature) {
		return signature.withTaskId(UUID.randomUUID().toString());
	}

	private TaskMessage message(String task, List<Object> args, Embed embed) {
		return TaskMessage.builder(task).args(args).queue(this.harness.queue).embed(embed).build();
	}

	private TaskMessage member(String task, List<Object> args, String groupId, int index, Signature body) {
		return TaskMessage.builder(task)
			.args(args)
			.queue(this.harness.queue)
			.group(groupId, index)
			.embed(new Embed(null, null, null, body.toJson()))
			.build();
	}

	private void send(TaskMessage message) {
		this.harness.broker.publish(this.harness.queue, message.properties().priority(), this.codec.encode(message));
	}

	private TaskMessage receiveFromSideQueue() throws InterruptedException {
		this.harness.broker.declareQueue(this.sideQueue);
		List<Delivery> deliveries = new ArrayList<>();
		await().atMost(TestWorker.TIMEOUT).until(() -> {
			deliveries.addAll(this.harness.broker.fetch(List.of(this.sideQueue), 1, Duration.ofMillis(100)));
			return !deliveries.isEmpty();
		});
		Delivery delivery = deliveries.get(0);
		this.harness.broker.ack(delivery);
		return this.codec.decode(delivery.envelope());
	}

	private static String childId(@Nullable Object child) {
		return (String) ((List<?>) ((List<?>) child).get(0)).get(0);
	}

}
