package io.celery4j.canvas;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.testsupport.PythonCelery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link Signature}, compared with the JSON Celery writes
 * ({@link PythonSignatures}).
 */
class SignatureTests {

	private static final String REPLY_TO = "16050096-cf9c-39c1-9a45-b5109ba17ab9";

	private final TaskMessageCodec codec = new TaskMessageCodec();

	@Test
	void writesTaskSignatureAsCelerysDict() {
		assertThat(json(Signature.of("tasks.add", 2, 3))).isEqualTo(PythonSignatures.json("s"));
	}

	@Test
	void writesImmutableSignatureAsCelerysSi() {
		assertThat(json(Signature.ofImmutable("tasks.add", 2))).isEqualTo(PythonSignatures.json("si"));
	}

	@Test
	void writesKeywordArgumentsAndOptionsInCelerysOrder() {
		Signature signature = Signature.of("tasks.add", List.of(2), Map.of("y", 3))
			.withQueue("math")
			.withPriority(5)
			.withCountdown(Duration.ofSeconds(10));
		assertThat(json(signature)).isEqualTo(PythonSignatures.json("kwargs_and_options"));
	}

	@Test
	void writesUnicodeFloatsNullsAndNestedValuesAsPythonDoes() {
		Signature signature = Signature.of("tasks.echo", "h\u00e9llo \u2713", 1.5, null, true, List.of(1, "two"),
				Map.of("n", Map.of("x", 1)));
		assertThat(json(signature)).isEqualTo(PythonSignatures.json("values"));
	}

	@Test
	void writesLinkAndLinkErrorAsListOptions() {
		Signature signature = Signature.of("tasks.add", 1)
			.link(Signature.of("tasks.echo"))
			.linkError(Signature.ofImmutable("tasks.echo", "x"));
		assertThat(json(signature)).isEqualTo(PythonSignatures.json("link"));
		assertThat(signature.links()).containsExactly(Signature.of("tasks.echo"));
		assertThat(signature.errbacks()).containsExactly(Signature.ofImmutable("tasks.echo", "x"));
	}

	@Test
	void linkingTheSameCallbackTwiceKeepsOne() {
		Signature callback = Signature.of("tasks.echo");
		assertThat(Signature.of("tasks.add", 1).link(callback).link(callback).links()).hasSize(1);
	}

	@Test
	void clonePrependsArgumentsAndMergesKeywordArgumentsAndOptions() {
		Signature signature = Signature.of("tasks.add", 2).clone(List.of(1), Map.of("z", 1), Map.of("queue", "q"));
		assertThat(json(signature)).isEqualTo(PythonSignatures.json("clone"));
	}

	@Test
	void cloneOfImmutableSignatureKeepsArgumentsButMergesOptions() {
		Signature signature = Signature.ofImmutable("tasks.add", 2)
			.clone(List.of(1), Map.of("z", 1), Map.of("queue", "q"));
		assertThat(json(signature)).isEqualTo(PythonSignatures.json("clone_immutable"));
	}

	@Test
	void cloneKeepsGroupIdAlreadySet() {
		Signature member = Signature.of("tasks.add", 1).withOption("group_id", "g1");
		assertThat(member.clone(List.of(), Map.of(), Map.of("group_id", "g2", "queue", "q")).options())
			.containsEntry("group_id", "g1")
			.containsEntry("queue", "q");
	}

	@Test
	void writesFrozenSignatureWithTaskIdAndReplyTo() {
		Signature signature = Signature.of("tasks.add", 2, 3)
			.withOption("reply_to", REPLY_TO)
			.withTaskId("584b5da7-0427-4933-bc52-39987691331a");
		assertThat(json(signature)).isEqualTo(PythonSignatures.json("frozen"));
		assertThat(signature.taskId()).isEqualTo("584b5da7-0427-4933-bc52-39987691331a");
	}

	@Test
	void readsEveryPythonSignatureAndWritesItBackUnchanged() {
		PythonSignatures.cases().forEach((name, json) -> {
			Signature signature = Signature.fromJson(json);
			assertThat(Json.write(signature.toJson())).as(name).isEqualTo(Json.write(json));
			assertThat(Signature.fromJson(Json.write(json))).as(name).isEqualTo(signature);
		});
	}

	@Test
	void readsNestedCanvasTypes() {
		Map<String, Map<String, @Nullable Object>> cases = PythonSignatures.cases();
		assertThat(Signature.fromJson(cases.get("chain")).subtaskType()).isEqualTo(Signature.CHAIN);
		assertThat(Signature.fromJson(cases.get("group")).subtaskType()).isEqualTo(Signature.GROUP);
		assertThat(Signature.fromJson(cases.get("chord")).subtaskType()).isEqualTo(Signature.CHORD);
		assertThat(Signature.fromJson(cases.get("chunks")).isImmutable()).isTrue();
	}

	@Test
	void readsMissingOptionalFieldsAsCeleryDefaults() {
		Signature signature = Signature.fromJson(Map.of("task", "tasks.add"));
		assertThat(signature.args()).isEmpty();
		assertThat(signature.kwargs()).isEmpty();
		assertThat(signature.options()).isEmpty();
		assertThat(signature.subtaskType()).isNull();
		assertThat(signature.isImmutable()).isFalse();
	}

	@Test
	void readsAndWritesChordSizeWhenPresent() {
		Map<String, @Nullable Object> json = new LinkedHashMap<>(Signature.of("tasks.xsum").toJson());
		json.put("chord_size", 3);
		Signature signature = Signature.fromJson(json);
		assertThat(signature.chordSize()).isEqualTo(3);
		assertThat(signature.toJson()).containsEntry("chord_size", 3);
	}

	@Test
	void rejectsSignatureWithoutTaskNamingTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> Signature.fromJson(Map.of("args", List.of())))
			.withMessageContaining("'task'");
	}

	@Test
	void rejectsArgsThatAreNotAListNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Signature.fromJson(Map.of("task", "tasks.add", "args", 5)))
			.withMessageContaining("'args' must be a list, got 5 (number)");
	}

	@Test
	void rejectsBadNestedSignatureWithItsPath() {
		Map<String, Object> chain = Map.of("task", "celery.chain", "subtask_type", "chain", "kwargs", Map.of("tasks",
				List.of(Signature.of("tasks.add", 1).toJson(), Map.of("task", "tasks.mul", "args", "four"))));
		assertThatIllegalArgumentException().isThrownBy(() -> Signature.fromJson(chain))
			.withMessageContaining("'kwargs.tasks[1].args' must be a list, got \"four\" (string)");
	}

	@Test
	void rejectsBadLinkWithItsPath() {
		Map<String, Object> json = Map.of("task", "tasks.add", "options", Map.of("link", List.of("tasks.echo")));
		assertThatIllegalArgumentException().isThrownBy(() -> Signature.fromJson(json))
			.withMessageContaining("options.link[0]");
	}

	@Test
	void rejectsUnknownSubtaskType() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Signature.fromJson(Map.of("task", "x", "subtask_type", "pipeline")))
			.withMessageContaining("'subtask_type'")
			.withMessageContaining("pipeline");
	}

	@Test
	void rejectsTextThatIsNotJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> Signature.fromJson("{nope"))
			.withMessageContaining("not valid JSON");
	}

	@Test
	void prependsParentResultUnlessImmutable() {
		assertThat(Signature.of("tasks.add", 10).withArgsPrepended(List.of(5)).args()).containsExactly(5, 10);
		assertThat(Signature.ofImmutable("tasks.add", 10).withArgsPrepended(List.of(5)).args()).containsExactly(10);
	}

	@Test
	void isAValueThatCallersCannotChange() {
		List<Object> args = new ArrayList<>(List.of(1));
		Signature signature = Signature.of("tasks.add", args, Map.of());
		args.add(2);
		assertThat(signature.args()).containsExactly(1);
		assertThat(signature.withOption("queue", "q")).isNotEqualTo(signature);
		assertThat(signature.withOption("queue", "q").withOption("queue", null)).isEqualTo(signature);
	}

	@Test
	void nestsSignaturesInArgumentsAsTheirJson() {
		Signature inner = Signature.of("tasks.echo", 1);
		assertThat(Signature.of("tasks.run", inner).args()).containsExactly(inner.toJson());
		assertThat(Json.toValue(inner)).isEqualTo(inner.toJson());
	}

	@Test
	void printsLikeCelerysRepr() {
		assertThat(Signature.of("tasks.greet", List.of("Ada"), Map.of("greeting", "Hi")))
			.hasToString("tasks.greet('Ada', greeting='Hi')");
	}

	@Test
	void buildsTheMessageCeleryBuildsForLinkAndLinkError() {
		TaskMessage celery = this.codec.decode(PythonCelery.resource("celery-wire/vectors/task-link.json"));
		TaskMessage message = Signature.of("tasks.add", 2, 3)
			.link(Signature.of("tasks.add", 10))
			.linkError(Signature.ofImmutable("tasks.echo", "failed"))
			.messageBuilder("celery", ZoneOffset.UTC)
			.build();
		TaskMessage decoded = this.codec.decode(this.codec.encode(message));
		assertThat(decoded.embed()).isEqualTo(celery.embed());
		assertThat(decoded.args()).isEqualTo(celery.args());
		assertThat(decoded.headers().argsRepr()).isEqualTo(celery.headers().argsRepr());
		assertThat(decoded.properties().routingKey()).isEqualTo("celery");
	}

	@Test
	void buildsTheFirstChainMessageCeleryBuilds() {
		TaskMessage celery = this.codec.decode(PythonCelery.resource("celery-wire/vectors/task-chain.json"));
		List<Signature> rest = celery.embed().chain().stream().map(Signature::fromJson).toList();
		TaskMessage message = Signature.of("tasks.add", 2, 3)
			.withTaskId(celery.id())
			.withOption("chain", rest)
			.withOption("reply_to", REPLY_TO)
			.messageBuilder("celery", ZoneOffset.UTC)
			.build();
		TaskMessage decoded = this.codec.decode(this.codec.encode(message));
		assertThat(decoded.id()).isEqualTo(celery.id());
		assertThat(decoded.embed()).isEqualTo(celery.embed());
		assertThat(decoded.properties().replyTo()).isEqualTo(REPLY_TO);
	}

	@Test
	void appliesSendingOptionsToTheMessage() {
		Instant before = Instant.now();
		TaskMessage message = Signature.of("tasks.add", 1, 2)
			.withTaskId("t-1")
			.withQueue("math")
			.withPriority(7)
			.withCountdown(Duration.ofSeconds(30))
			.withExpires(Duration.ofMinutes(5))
			.withOptions(Map.of("group_id", "g-1", "group_index", 2, "time_limit", 10, "soft_time_limit", 5,
					"ignore_result", true, "shadow", "adder", "parent_id", "p-1", "root_id", "r-1"))
			.messageBuilder("celery", ZoneOffset.UTC)
			.build();
		assertThat(message.id()).isEqualTo("t-1");
		assertThat(message.properties().routingKey()).isEqualTo("math");
		assertThat(message.properties().priority()).isEqualTo(7);
		assertThat(OffsetDateTime.parse(message.headers().eta()).toInstant()).isCloseTo(before.plusSeconds(30),
				within(Duration.ofMinutes(1)));
		assertThat(OffsetDateTime.parse(message.headers().expires()).toInstant()).isCloseTo(before.plusSeconds(300),
				within(Duration.ofMinutes(1)));
		assertThat(message.headers().group()).isEqualTo("g-1");
		assertThat(message.headers().groupIndex()).isEqualTo(2);
		assertThat(message.headers().timeLimit()).containsExactly(10, 5);
		assertThat(message.headers().ignoreResult()).isTrue();
		assertThat(message.headers().shadow()).isEqualTo("adder");
		assertThat(message.headers().parentId()).isEqualTo("p-1");
		assertThat(message.headers().rootId()).isEqualTo("r-1");
	}

	@Test
	void usesTheDefaultQueueWhenTheOptionsNameNone() {
		TaskMessage message = Signature.of("tasks.add", 1, 2).messageBuilder("math", ZoneOffset.UTC).build();
		assertThat(message.properties().routingKey()).isEqualTo("math");
		assertThat(message.embed().callbacks()).isNull();
	}

	@Test
	void rejectsBadOptionNamingTaskAndOption() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> Signature.of("tasks.add").withOption("priority", "high").messageBuilder("celery", ZoneOffset.UTC))
			.withMessageContaining("tasks.add")
			.withMessageContaining("'priority'");
	}

	@Test
	void refusesToSendACanvasSignatureAsOneMessage() {
		Signature chain = Signature.fromJson(PythonSignatures.cases().get("chain"));
		assertThatIllegalArgumentException().isThrownBy(() -> chain.messageBuilder("celery", ZoneOffset.UTC))
			.withMessageContaining("celery.chain");
	}

	private static String json(Signature signature) {
		return Json.write(signature.toJson());
	}

}
