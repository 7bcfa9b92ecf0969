package io.celery4j.client;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import io.celery4j.backend.DisabledResultBackend;
import io.celery4j.backend.GroupMetaCodec;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.memory.MemoryResultBackend;
import io.celery4j.broker.Delivery;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.canvas.Chain;
import io.celery4j.canvas.Chord;
import io.celery4j.canvas.Group;
import io.celery4j.canvas.Signature;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.testsupport.PythonCelery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link CanvasClient}: the messages it sends have the shape of Celery's
 * (vectors {@code task-chain.json}, {@code task-group.jsonl},
 * {@code task-chord-header.jsonl}), on the {@code memory://} transport.
 */
class CanvasClientTests {

	private static final String QUEUE = "canvas";

	private final TaskMessageCodec codec = new TaskMessageCodec();

	private final MemoryBroker broker = new MemoryBroker();

	private final MemoryResultBackend backend = new MemoryResultBackend(Duration.ofHours(1));

	private final CeleryClient client = new CeleryClient(this.broker, this.backend,
			new TaskRouter(Map.of("tasks.mul", "math"), new TaskRegistry(), QUEUE), ZoneOffset.UTC);

	private final CanvasClient canvas = new CanvasClient(this.client);

	@AfterEach
	void close() {
		this.broker.close();
		this.backend.close();
	}

	@Test
	void sendsOnlyTheFirstChainStepWithTheRestReversedAsCeleryDoes() throws InterruptedException {
		AsyncResult last = this.canvas.apply(
				Chain.of(Signature.of("tasks.add", 2, 3), Signature.of("tasks.mul", 4), Signature.of("tasks.add", 10)));
		List<TaskMessage> sent = sent(QUEUE);
		assertThat(sent).hasSize(1);
		TaskMessage first = sent.get(0);
		TaskMessage celery = vector("task-chain.json");
		assertThat(first.args()).isEqualTo(celery.args());
		assertThat(first.headers().rootId()).isEqualTo(first.id());
		assertThat(first.headers().parentId()).isNull();
		List<Signature> rest = first.embed().chain().stream().map(Signature::fromJson).toList();
		List<Signature> celeryRest = celery.embed().chain().stream().map(Signature::fromJson).toList();
		assertThat(rest).extracting(Signature::task).isEqualTo(celeryRest.stream().map(Signature::task).toList());
		assertThat(rest).extracting(Signature::args).isEqualTo(celeryRest.stream().map(Signature::args).toList());
		assertThat(rest)
			.allSatisfy((step) -> assertThat(step.options().keySet()).containsExactly("task_id", "reply_to"));
		assertThat(last.getId()).isEqualTo(rest.get(0).taskId());
		assertThat(last.getParent().getId()).isEqualTo(rest.get(1).taskId());
		assertThat(last.getParent().getParent().getId()).isEqualTo(first.id());
		assertThat(last.getParent().getParent().getParent()).isNull();
	}

	@Test
	void routesTheFirstChainStepLikeSend() throws InterruptedException {
		this.canvas.apply(Chain.of(Signature.of("tasks.mul", 2, 3), Signature.of("tasks.add", 1)));
		assertThat(sent("math")).hasSize(1);
	}

	@Test
	void putsChainLinkOnTheLastStepAndLinkErrorOnEveryStep() throws InterruptedException {
		Signature log = Signature.ofImmutable("tasks.log", "failed");
		Signature done = Signature.of("tasks.done");
		this.canvas
			.apply(Chain.of(Signature.of("tasks.add", 2, 3), Signature.of("tasks.add", 4)).link(done).linkError(log));
		TaskMessage first = sent(QUEUE).get(0);
		assertThat(first.embed().errbacks()).containsExactly(log.toJson());
		assertThat(first.embed().callbacks()).isNull();
		Signature second = Signature.fromJson(first.embed().chain().get(0));
		assertThat(second.errbacks()).containsExactly(log);
		assertThat(second.links()).containsExactly(done);
	}

	@Test
	void sendsOneMessagePerGroupMemberWithTheGroupIdAsCeleryDoes() throws InterruptedException {
		GroupResult group = this.canvas.apply(Group.of(Signature.of("tasks.add", 0, 0), Signature.of("tasks.add", 1, 1),
				Signature.of("tasks.add", 2, 2)));
		List<TaskMessage> sent = sent(QUEUE);
		List<TaskMessage> celery = vectorLines("task-group.jsonl");
		assertThat(sent).extracting(TaskMessage::args).isEqualTo(celery.stream().map(TaskMessage::args).toList());
		assertThat(sent).allSatisfy((member) -> {
			assertThat(member.headers().group()).isEqualTo(group.getId());
			assertThat(member.headers().groupIndex()).isNull();
			assertThat(member.headers().rootId()).isEqualTo(member.id());
			assertThat(member.embed()).isEqualTo(celery.get(0).embed());
		});
		assertThat(group.getResults()).extracting(AsyncResult::getId)
			.isEqualTo(sent.stream().map(TaskMessage::id).toList());
	}

	@Test
	void usesTheGroupIdGiven() throws InterruptedException {
		GroupResult group = this.canvas.apply(Group.of(Signature.of("tasks.add", 1, 1)).withId("g-1"));
		assertThat(group.getId()).isEqualTo("g-1");
		assertThat(sent(QUEUE).get(0).headers().group()).isEqualTo("g-1");
	}

	@Test
	void sendsAChainMemberOfAGroupWithTheGroupOnItsLastStep() throws InterruptedException {
		GroupResult group = this.canvas
			.apply(Group.of(Chain.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2)).toSignature(),
					Signature.of("tasks.add", 3, 3)));
		List<TaskMessage> sent = sent(QUEUE);
		assertThat(sent.get(0).headers().group()).isNull();
		Signature last = Signature.fromJson(sent.get(0).embed().chain().get(0));
		assertThat(last.options()).containsEntry("group_id", group.getId());
		assertThat(group.getResults().get(0).getId()).isEqualTo(last.taskId());
		assertThat(sent.get(1).headers().group()).isEqualTo(group.getId());
	}

	@Test
	void sendsChordHeaderWithIndexAndBodyAsCeleryDoes() throws InterruptedException {
		List<Signature> header = List.of(Signature.of("tasks.add", 0, 0), Signature.of("tasks.add", 1, 1),
				Signature.of("tasks.add", 2, 2));
		AsyncResult body = this.canvas.apply(Chord.of(header, Signature.of("tasks.xsum")));
		List<TaskMessage> sent = sent(QUEUE);
		List<TaskMessage> celery = vectorLines("task-chord-header.jsonl");
		GroupResult headerResult = (GroupResult) body.getParent();
		assertThat(sent).hasSize(3);
		for (int i = 0; i < 3; i++) {
			TaskMessage member = sent.get(i);
			assertThat(member.args()).isEqualTo(celery.get(i).args());
			assertThat(member.headers().group()).isEqualTo(headerResult.getId());
			assertThat(member.headers().groupIndex()).isEqualTo(i);
			Signature chordBody = Signature.fromJson(member.embed().chord());
			Signature celeryBody = Signature.fromJson(celery.get(i).embed().chord());
			assertThat(chordBody.withTaskId("x").withOption("reply_to", "y"))
				.isEqualTo(celeryBody.withTaskId("x").withOption("reply_to", "y"));
			assertThat(chordBody.options().keySet()).isEqualTo(celeryBody.options().keySet());
			assertThat(chordBody.taskId()).isEqualTo(body.getId());
		}
		assertThat(headerResult.getResults()).extracting(AsyncResult::getId)
			.isEqualTo(sent.stream().map(TaskMessage::id).toList());
	}

	@Test
	void writesTheChordSizeBeforeTheHeaderIsSent() {
		AsyncResult body = this.canvas.apply(Chord.of(List.of(Signature.of("tasks.add", 0, 0),
				Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)), Signature.of("tasks.xsum")));
		GroupResult header = (GroupResult) body.getParent();
		List<@Nullable List<ChordMember>> completions = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String id = header.getResults().get(i).getId();
			completions.add(this.backend
				.onChordPartReturn(new ChordPart(header.getId(), i, new ChordMember(id, "SUCCESS", i * 2))));
		}
		assertThat(completions.get(0)).isNull();
		assertThat(completions.get(1)).isNull();
		assertThat(completions.get(2)).extracting(ChordMember::result).containsExactly(0, 2, 4);
	}

	@Test
	void sendsTheBodyOfAChordWithAnEmptyHeaderAtOnce() throws InterruptedException {
		AsyncResult body = this.canvas.apply(Chord.of(List.of(), Signature.of("tasks.xsum")));
		List<TaskMessage> sent = sent(QUEUE);
		assertThat(sent).singleElement().satisfies((message) -> {
			assertThat(message.id()).isEqualTo(body.getId());
			assertThat(message.args()).containsExactly(List.of());
		});
		assertThat(((GroupResult) body.getParent()).getResults()).isEmpty();
	}

	@Test
	void sendsAChainThatStartsWithAGroupAsAChord() throws InterruptedException {
		AsyncResult last = this.canvas
			.apply(Chain.of(Group.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)).toSignature(),
					Signature.of("tasks.xsum"), Signature.of("tasks.mul", 10)));
		List<TaskMessage> sent = sent(QUEUE);
		assertThat(sent).hasSize(2).allSatisfy((member) -> assertThat(member.embed().chord()).isNotNull());
		Signature body = Signature.fromJson(sent.get(0).embed().chord());
		assertThat(body.task()).isEqualTo("tasks.xsum");
		assertThat(Signature.fromJson((Map<String, ?>) ((List<?>) body.options().get("chain")).get(0)).taskId())
			.isEqualTo(last.getId());
		assertThat(last.getParent().getId()).isEqualTo(body.taskId());
		assertThat(last.getParent().getParent()).isInstanceOf(GroupResult.class);
	}

	@Test
	void refusesAChordThroughADisabledBackendBeforeSendingAnything() {
		CeleryClient disabled = new CeleryClient(this.broker, new DisabledResultBackend(),
				new TaskRouter(Map.of(), new TaskRegistry(), QUEUE), ZoneOffset.UTC);
		assertThatIllegalStateException()
			.isThrownBy(() -> new CanvasClient(disabled)
				.apply(Chord.of(List.of(Signature.of("tasks.add", 1, 1)), Signature.of("tasks.xsum"))))
			.withMessageContaining("celery.result-backend");
		assertThat(this.broker.queueLength(QUEUE)).isZero();
	}

	@Test
	void sendsASignatureWithItsOptionsAndLinks() throws InterruptedException {
		AsyncResult result = this.canvas.apply(Signature.of("tasks.add", 2, 3)
			.withTaskId("t-1")
			.withQueue("math")
			.link(Signature.of("tasks.add", 10)));
		TaskMessage message = sent("math").get(0);
		assertThat(result.getId()).isEqualTo("t-1").isEqualTo(message.id());
		assertThat(message.embed().callbacks()).containsExactly(Signature.of("tasks.add", 10).toJson());
	}

	@Test
	void sendsMapAsOneMessageRoutedLikeItsTask() throws InterruptedException {
		this.canvas.apply(Signature.of("tasks.mul").map(List.of(1, 2, 3)));
		TaskMessage message = sent("math").get(0);
		assertThat(message.taskName()).isEqualTo("celery.map");
		assertThat(message.args()).isEmpty();
		assertThat(message.kwargs()).containsEntry("task", Signature.of("tasks.mul").toJson())
			.containsEntry("it", List.of(1, 2, 3));
	}

	@Test
	void sendsChunksAsAGroupOfStarmaps() throws InterruptedException {
		AsyncResult result = this.canvas
			.apply(Signature.of("tasks.add").chunks(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6)), 2));
		List<TaskMessage> sent = sent(QUEUE);
		assertThat(result).isInstanceOf(GroupResult.class);
		assertThat(sent).extracting(TaskMessage::taskName).containsExactly("celery.starmap", "celery.starmap");
		assertThat(sent).extracting((message) -> message.kwargs().get("it"))
			.containsExactly(List.of(List.of(1, 2), List.of(3, 4)), List.of(List.of(5, 6)));
		assertThat(sent).allSatisfy((message) -> assertThat(message.headers().group()).isEqualTo(result.getId()));
	}

	@Test
	void refusesAChordInsideAGroupNamingIt() {
		Signature inner = Chord.of(List.of(Signature.of("tasks.add", 1, 1)), Signature.of("tasks.xsum")).toSignature();
		assertThatIllegalArgumentException().isThrownBy(() -> this.canvas.apply(Group.of(inner)))
			.withMessageContaining("chord inside group");
	}

	@Test
	void groupResultJoinsMembersInGroupOrder() {
		GroupResult group = this.canvas
			.apply(Group.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)));
		// Stored in reverse order: join still answers in group order.
		store(group.getResults().get(1).getId(), 4);
		assertThat(group.completedCount()).isEqualTo(1);
		assertThat(group.ready()).isFalse();
		store(group.getResults().get(0).getId(), 2);
		assertThat(group.join(Duration.ofSeconds(5))).containsExactly(2, 4);
		assertThat(group.ready()).isTrue();
		assertThat(group.successful()).isTrue();
		assertThat(group.failed()).isFalse();
	}

	@Test
	void savesAndRestoresAGroupInCelerysForm() {
		GroupResult group = this.canvas
			.apply(Group.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)));
		group.save();
		GroupResult restored = GroupResult.restore(group.getId(), this.backend);
		assertThat(restored.getId()).isEqualTo(group.getId());
		assertThat(restored.getResults()).extracting(AsyncResult::getId)
			.isEqualTo(group.getResults().stream().map(AsyncResult::getId).toList());
		group.delete();
		assertThat(GroupResult.restore(group.getId(), this.backend)).isNull();
	}

	/**
	 * {@code io/celery4j/client/result-groupmeta.json} is
	 * {@code vectors/result-groupmeta.json} copied byte for byte; kept outside
	 * {@code celery-wire/vectors} because the task record tests read every
	 * {@code result-*.json} there as a task result.
	 */
	@Test
	void writesTheSavedGroupByteForByteAsCelery() {
		GroupResult group = new GroupResult("0f0ac6b2-ccb4-4718-af3d-599a2c8fd8f7",
				List.of(new AsyncResult("4d5cc091-12f6-40ff-a417-98a6e6c7abe8", this.backend),
						new AsyncResult("20e9d2d2-7583-4912-bc0e-ed67d8bc1d70", this.backend)),
				this.backend, null);
		String celery = PythonCelery.resource("io/celery4j/client/result-groupmeta.json").strip();
		assertThat(GroupMetaCodec.encode(ResultTuples.toTuple(group))).isEqualTo(celery);
		GroupResult read = (GroupResult) ResultTuples.fromTuple(GroupMetaCodec.decode(group.getId(), celery),
				this.backend, "vector");
		assertThat(read.getResults()).extracting(AsyncResult::getId)
			.containsExactly("4d5cc091-12f6-40ff-a417-98a6e6c7abe8", "20e9d2d2-7583-4912-bc0e-ed67d8bc1d70");
	}

	@Test
	void restoresChainMembersWithTheirParents() {
		AsyncResult first = new AsyncResult("a", this.backend);
		GroupResult group = new GroupResult("g", List.of(new AsyncResult("b", this.backend, first)), this.backend,
				null);
		GroupResult read = (GroupResult) ResultTuples.fromTuple(ResultTuples.toTuple(group), this.backend, "test");
		assertThat(read.getResults().get(0).getParent().getId()).isEqualTo("a");
	}

	@Test
	void groupHasNoSingleState() {
		GroupResult group = new GroupResult("g", List.of(), this.backend, null);
		assertThat(catchThrowable(group::state)).isInstanceOf(UnsupportedOperationException.class)
			.hasMessageContaining("Group g");
	}

	private void store(String id, Object value) {
		this.backend.store(new TaskMeta(id, "SUCCESS", value, null, List.of(), "2026-11-24T22:00:21.881326", null, null,
				null, null, null, null, null, null));
	}

	private List<TaskMessage> sent(String queue) throws InterruptedException {
		List<TaskMessage> messages = new ArrayList<>();
		for (Delivery delivery : this.broker.fetch(List.of(queue), 2000, Duration.ofMillis(100))) {
			messages.add(this.codec.decode(delivery.envelope()));
		}
		return messages;
	}

	private TaskMessage vector(String name) {
		return this.codec.decode(PythonCelery.resource("celery-wire/vectors/" + name));
	}

	private List<TaskMessage> vectorLines(String name) {
		return PythonCelery.resource("celery-wire/vectors/" + name)
			.lines()
			.filter((line) -> !line.isBlank())
			.map(this.codec::decode)
			.toList();
	}

}
