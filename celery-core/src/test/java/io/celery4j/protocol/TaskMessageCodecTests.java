package io.celery4j.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.celery4j.protocol.TaskVectors.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TaskMessageCodec} against the messages real Celery 5.2.6 wrote
 * (PROTOCOL.md 1, vectors/INDEX.md).
 */
class TaskMessageCodecTests {

	private static final String ID = "6f1c1f8e-3b5e-4d7a-9c1e-2a4b6d8f0a1c";

	private final TaskMessageCodec codec = new TaskMessageCodec();

	static Stream<Arguments> capturedTaskMessages() {
		return TaskVectors.allTaskMessages().stream().map((entry) -> Arguments.of(entry.getKey(), entry.getValue()));
	}

	@Test
	void findsEveryCapturedTaskMessage() {
		assertThat(TaskVectors.taskFileNames()).containsExactly("task-add.json", "task-chain-step2.json",
				"task-chain-step3.json", "task-chain.json", "task-chord-body.json", "task-chord-header.jsonl",
				"task-countdown.json", "task-eta.json", "task-expires.json", "task-group-saved.jsonl",
				"task-group.jsonl", "task-kwargs.json", "task-link-callback.json", "task-link-errback.json",
				"task-link.json", "task-priority5.json", "task-priority9.json", "task-queue-other.json",
				"task-restored.json", "task-retry-republish-2.json", "task-retry-republish.json", "task-send-task.json",
				"task-timelimit.json");
		assertThat(TaskVectors.allTaskMessages()).hasSize(28);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("capturedTaskMessages")
	void decodesEveryCapturedTaskMessageAsCeleryWroteIt(String name, String envelope) {
		TaskMessage message = this.codec.decode(envelope);
		Map<String, @Nullable Object> raw = map(Json.read(envelope));
		Map<String, @Nullable Object> headers = map(raw.get("headers"));
		Map<String, @Nullable Object> properties = map(raw.get("properties"));
		Map<String, @Nullable Object> deliveryInfo = map(properties.get("delivery_info"));
		List<@Nullable Object> body = TaskVectors.body(raw);
		Map<String, @Nullable Object> embed = map(body.get(2));
		assertThat(message.headers().task()).isEqualTo(headers.get("task"));
		assertThat(message.id()).isEqualTo(headers.get("id")).isEqualTo(properties.get("correlation_id"));
		assertThat(message.headers().lang()).isEqualTo("py");
		assertThat(message.headers().eta()).isEqualTo(headers.get("eta"));
		assertThat(message.headers().expires()).isEqualTo(headers.get("expires"));
		assertThat(message.headers().group()).isEqualTo(headers.get("group"));
		assertThat(message.headers().groupIndex()).isEqualTo(headers.get("group_index"));
		assertThat(message.headers().retries()).isEqualTo(headers.get("retries"));
		assertThat(message.headers().timeLimit()).isEqualTo(headers.get("timelimit"));
		assertThat(message.headers().rootId()).isEqualTo(headers.get("root_id"));
		assertThat(message.headers().parentId()).isEqualTo(headers.get("parent_id"));
		assertThat(message.headers().argsRepr()).isEqualTo(headers.get("argsrepr"));
		assertThat(message.headers().kwargsRepr()).isEqualTo(headers.get("kwargsrepr"));
		assertThat(message.headers().origin()).isEqualTo(headers.get("origin"));
		assertThat(message.headers().ignoreResult()).isFalse();
		assertThat(message.properties().replyTo()).isEqualTo(properties.get("reply_to"));
		assertThat(message.properties().deliveryMode()).isEqualTo(2);
		assertThat(message.properties().exchange()).isEmpty();
		assertThat(message.properties().routingKey()).isEqualTo(deliveryInfo.get("routing_key"));
		assertThat(message.properties().priority()).isEqualTo(properties.get("priority"));
		assertThat(message.properties().deliveryTag()).isEqualTo(properties.get("delivery_tag"));
		assertThat(message.args()).isEqualTo(body.get(0));
		assertThat(message.kwargs()).isEqualTo(body.get(1));
		assertThat(message.embed().callbacks()).isEqualTo(embed.get("callbacks"));
		assertThat(message.embed().errbacks()).isEqualTo(embed.get("errbacks"));
		assertThat(message.embed().chain()).isEqualTo(embed.get("chain"));
		assertThat(message.embed().chord()).isEqualTo(embed.get("chord"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("capturedTaskMessages")
	void decodesEveryCapturedTaskMessageParsedByTheTransportAsFromItsText(String name, String envelope) {
		assertThat(this.codec.decode(envelope, map(Json.read(envelope)))).isEqualTo(this.codec.decode(envelope));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("capturedTaskMessages")
	void reencodesEveryCapturedTaskMessageWithTheSameContentAndKeyOrder(String name, String envelope) {
		String reencoded = this.codec.encode(this.codec.decode(envelope));
		assertThat(Json.write(TaskVectors.tree(reencoded))).isEqualTo(Json.write(TaskVectors.tree(envelope)));
	}

	@Test
	void decodesPositionalArguments() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-add.json"));
		assertThat(message.taskName()).isEqualTo("tasks.add");
		assertThat(message.id()).isEqualTo("86ac9732-7016-475b-82ea-5d7410b04b19");
		assertThat(message.args()).containsExactly(2, 3);
		assertThat(message.kwargs()).isEmpty();
		assertThat(message.embed()).isEqualTo(Embed.empty());
		assertThat(message.headers().rootId()).isEqualTo(message.id());
		assertThat(message.headers().parentId()).isNull();
		assertThat(message.headers().argsRepr()).isEqualTo("(2, 3)");
		assertThat(message.headers().timeLimit()).containsExactly(null, null);
		assertThat(message.properties().routingKey()).isEqualTo("celery");
		assertThat(message.properties().extra()).isEmpty();
		assertThat(message.headers().extra()).isEmpty();
	}

	@Test
	void decodesKeywordArguments() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-kwargs.json"));
		assertThat(message.taskName()).isEqualTo("tasks.greet");
		assertThat(message.args()).containsExactly("Ada");
		assertThat(message.kwargs()).containsExactly(Map.entry("greeting", "Hi"));
		assertThat(message.headers().kwargsRepr()).isEqualTo("{'greeting': 'Hi'}");
	}

	@Test
	void decodesSendTaskWithKeywordArgumentsOnly() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-send-task.json"));
		assertThat(message.args()).isEmpty();
		assertThat(message.kwargs()).containsExactly(Map.entry("name", "Ada"));
		assertThat(message.headers().argsRepr()).isEqualTo("()");
	}

	@Test
	void decodesCountdownAsEtaWithMicroseconds() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-countdown.json"));
		assertThat(message.headers().eta()).isEqualTo("2026-11-24T22:00:27.079396+00:00");
		assertThat(CeleryDates.parse(message.headers().eta(), ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2026-11-24T22:00:27.079396Z"));
	}

	@Test
	void decodesExplicitEta() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-eta.json"));
		assertThat(CeleryDates.parse(message.headers().eta(), ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
	}

	@Test
	void decodesExpiresAndKeepsKombuExpirationProperty() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-expires.json"));
		assertThat(message.headers().eta()).isNull();
		assertThat(CeleryDates.parse(message.headers().expires(), ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2026-11-24T21:59:57.183618Z"));
		assertThat(message.properties().extra()).containsExactly(Map.entry("expiration", "30000"));
	}

	@Test
	void decodesTimeLimitsAsHardThenSoft() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-timelimit.json"));
		assertThat(message.headers().timeLimit()).containsExactly(10, 5);
	}

	@Test
	void decodesPriority() {
		assertThat(this.codec.decode(TaskVectors.read("task-priority5.json")).properties().priority()).isEqualTo(5);
		assertThat(this.codec.decode(TaskVectors.read("task-priority9.json")).properties().priority()).isEqualTo(9);
	}

	@Test
	void decodesQueueFromRoutingKey() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-queue-other.json"));
		assertThat(message.properties().routingKey()).isEqualTo("other");
	}

	@Test
	void decodesLinkAndLinkErrorAsCallbacksAndErrbacks() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-link.json"));
		assertThat(message.embed().callbacks()).containsExactly(signature("tasks.add", List.of(10), Map.of(), false));
		assertThat(message.embed().errbacks())
			.containsExactly(signature("tasks.echo", List.of("failed"), Map.of(), true));
		assertThat(message.embed().chain()).isNull();
		assertThat(message.embed().chord()).isNull();
	}

	@Test
	void decodesChainWithRemainingStepsLastElementNext() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-chain.json"));
		List<Map<String, @Nullable Object>> chain = message.embed().chain();
		assertThat(chain).extracting((step) -> step.get("task")).containsExactly("tasks.add", "tasks.mul");
		assertThat(chain).extracting((step) -> step.get("args")).containsExactly(List.of(10), List.of(4));
		assertThat(chain).extracting((step) -> map(step.get("options")).get("task_id"))
			.containsExactly("584b5da7-0427-4933-bc52-39987691331a", "f7fe0791-4531-40f2-95fb-73b939bc8084");
	}

	@Test
	void decodesChainStepsSentByTheWorker() {
		TaskMessage step2 = this.codec.decode(TaskVectors.read("task-chain-step2.json"));
		assertThat(step2.taskName()).isEqualTo("tasks.mul");
		assertThat(step2.args()).containsExactly(5, 4);
		assertThat(step2.headers().parentId()).isEqualTo("31750488-5512-4649-bbaa-f66c0786a996");
		assertThat(step2.embed().chain()).hasSize(1);
		TaskMessage step3 = this.codec.decode(TaskVectors.read("task-chain-step3.json"));
		assertThat(step3.args()).containsExactly(20, 10);
		assertThat(step3.headers().rootId()).isEqualTo(step2.headers().rootId());
		assertThat(step3.headers().parentId()).isEqualTo(step2.id());
		assertThat(step3.embed().chain()).isNotNull().isEmpty();
	}

	@Test
	void decodesGroupMembersWithTheirGroupAndNoIndex() {
		List<TaskMessage> members = TaskVectors.lines("task-group.jsonl").stream().map(this.codec::decode).toList();
		assertThat(members).extracting(TaskMessage::args).containsExactly(List.of(0, 0), List.of(1, 1), List.of(2, 2));
		assertThat(members).extracting((member) -> member.headers().group())
			.containsOnly("7502be64-f9d5-4aa7-a13f-425d3200c674");
		assertThat(members).extracting((member) -> member.headers().groupIndex()).containsOnlyNulls();
		assertThat(members).extracting(TaskMessage::id).doesNotHaveDuplicates();
		assertThat(members).allSatisfy((member) -> assertThat(member.headers().rootId()).isEqualTo(member.id()));
	}

	@Test
	void decodesChordHeaderMembersWithIndexAndBody() {
		List<TaskMessage> members = TaskVectors.lines("task-chord-header.jsonl")
			.stream()
			.map(this.codec::decode)
			.toList();
		assertThat(members).extracting((member) -> member.headers().groupIndex()).containsExactly(0, 1, 2);
		assertThat(members).extracting((member) -> member.headers().group())
			.containsOnly("5212c0d6-8741-4ed6-a926-46b0e08c7d9f");
		assertThat(members).allSatisfy((member) -> {
			assertThat(member.embed().chord()).containsEntry("task", "tasks.xsum");
			assertThat(map(member.embed().chord().get("options"))).containsEntry("task_id",
					"8307fb42-10fe-4216-aea8-cacf8021541e");
		});
	}

	@Test
	void decodesChordBodyWithResultsInGroupIndexOrder() {
		TaskMessage body = this.codec.decode(TaskVectors.read("task-chord-body.json"));
		assertThat(body.taskName()).isEqualTo("tasks.xsum");
		assertThat(body.args()).containsExactly(List.of(0, 2, 4));
		assertThat(body.headers().argsRepr()).isEqualTo("([0, 2, 4],)");
	}

	@Test
	void decodesCallbackAndErrbackSentByTheWorker() {
		TaskMessage callback = this.codec.decode(TaskVectors.read("task-link-callback.json"));
		assertThat(callback.args()).containsExactly(5, 10);
		assertThat(callback.headers().parentId()).isEqualTo("6ba6a2ac-211f-4a63-8a64-ce6b5c5f3de9");
		TaskMessage errback = this.codec.decode(TaskVectors.read("task-link-errback.json"));
		assertThat(errback.args()).containsExactly("failed");
		assertThat(errback.headers().group()).isEqualTo("55f5c3a6-2055-408c-a15a-e811a9da937c");
	}

	@Test
	void decodesRetryRepublishedByTheWorker() {
		TaskMessage first = this.codec.decode(TaskVectors.read("task-retry-republish.json"));
		TaskMessage second = this.codec.decode(TaskVectors.read("task-retry-republish-2.json"));
		assertThat(first.headers().retries()).isEqualTo(1);
		assertThat(second.headers().retries()).isEqualTo(2);
		assertThat(second.id()).isEqualTo(first.id());
		assertThat(first.headers().parentId()).isEqualTo(first.id());
		assertThat(first.headers().eta()).isEqualTo("2026-11-24T22:00:22.006199+00:00");
		assertThat(first.properties().extra()).containsExactly(Map.entry("replaced_task_nesting", 0),
				Map.entry("origin", "gen13300@vm"));
	}

	@Test
	void decodesRestoredMessageWithRedeliveredFlags() {
		TaskMessage message = this.codec.decode(TaskVectors.read("task-restored.json"));
		assertThat(message.headers().extra()).containsExactly(Map.entry("redelivered", true));
		assertThat(message.properties().extra()).containsExactly(Map.entry("redelivered", true));
		assertThat(message.args()).containsExactly(7, 7);
	}

	@Test
	void decodesMessageKeptInTheUnackedHash() {
		List<@Nullable Object> entry = castList(Json.read(TaskVectors.read("unacked-entry.json")));
		assertThat(entry).hasSize(3);
		assertThat(entry.subList(1, 3)).containsExactly("", "celery");
		TaskMessage message = this.codec.decode(Json.write(entry.get(0)));
		assertThat(message.id()).isEqualTo("f756de46-06e3-4fdd-b6d6-1083d3f3d195");
		assertThat(message.args()).containsExactly(2, 3);
		assertThat(message.properties().deliveryTag()).isEqualTo("9e7fd672-3147-49be-aa5c-e6db4432fe19");
	}

	@Test
	void decodesMinimalCompactMessageThatPythonWorkersAccept() {
		String envelope = "{\"body\":\"" + base64("[[1,2],{},{}]")
				+ "\",\"content-encoding\":\"utf-8\",\"content-type\":\"application/json\","
				+ "\"headers\":{\"lang\":\"java\",\"task\":\"tasks.add\",\"id\":\"" + ID + "\"},"
				+ "\"properties\":{\"body_encoding\":\"base64\",\"delivery_tag\":\"t1\"}}";
		TaskMessage message = this.codec.decode(envelope);
		assertThat(message.args()).containsExactly(1, 2);
		assertThat(message.embed()).isEqualTo(Embed.empty());
		assertThat(message.headers().rootId()).isEqualTo(ID);
		assertThat(message.headers().retries()).isZero();
		assertThat(message.headers().timeLimit()).containsExactly(null, null);
		assertThat(message.properties().priority()).isZero();
		assertThat(message.properties().deliveryMode()).isEqualTo(2);
	}

	@Test
	void decodesBodyWithoutBodyEncodingAsJsonText() {
		String envelope = edited((raw) -> {
			raw.put("body", "[[\"x\"], {}, null]");
			map(raw.get("properties")).remove("body_encoding");
		});
		assertThat(this.codec.decode(envelope).args()).containsExactly("x");
	}

	@Test
	void decodesNonFiniteFloatsThatPythonJsonWrites() {
		TaskMessage message = this.codec.decode(envelope("application/json", "[[NaN, Infinity, -Infinity], {}, {}]"));
		assertThat(message.args()).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
	}

	@Test
	void decodesNonAsciiArgumentsEscapedAsPythonWritesThem() {
		TaskMessage message = this.codec
			.decode(envelope("application/json", "[[\"h\\u00e9llo \\u2713 \\ud83d\\ude00\"], {}, {}]"));
		assertThat(message.args()).containsExactly("héllo ✓ 😀");
	}

	@Test
	void encodesPlainTaskAsCeleryDoes() {
		assertEncodesLike("task-add.json", (builder) -> builder.args(List.of(2, 3)));
	}

	@Test
	void encodesKeywordArgumentsAsCeleryDoes() {
		assertEncodesLike("task-kwargs.json",
				(builder) -> builder.args(List.of("Ada")).kwargs(Map.of("greeting", "Hi")));
	}

	@Test
	void encodesKeywordArgumentsOnlyAsCeleryDoes() {
		assertEncodesLike("task-send-task.json", (builder) -> builder.kwargs(Map.of("name", "Ada")));
	}

	@Test
	void encodesEtaWithMicrosecondsAsCeleryDoes() {
		assertEncodesLike("task-countdown.json",
				(builder) -> builder.args(List.of(2, 3)).eta(Instant.parse("2026-11-24T22:00:27.079396Z")));
	}

	@Test
	void encodesEtaWithoutFractionAsCeleryDoes() {
		assertEncodesLike("task-eta.json",
				(builder) -> builder.args(List.of(2, 3)).eta(Instant.parse("2030-01-02T03:04:05Z")));
	}

	@Test
	void encodesExpiresWithKombuExpirationAsCeleryDoes() {
		assertEncodesLike("task-expires.json",
				(builder) -> builder.args(List.of(2, 3)).expires(Instant.parse("2026-11-24T21:59:57.183618Z")));
	}

	@Test
	void encodesExpirationAsMillisecondsFromNow() {
		TaskMessage message = TaskMessage.builder("tasks.add").expires(Instant.now().plusSeconds(30)).build();
		String expiration = (String) message.properties().extra().get("expiration");
		assertThat(Long.parseLong(expiration)).isBetween(1_000L, 30_000L);
		TaskMessage expired = TaskMessage.builder("tasks.add").expires(Instant.now().minusSeconds(30)).build();
		assertThat(expired.properties().extra()).containsEntry("expiration", "0");
	}

	@Test
	void encodesTimeLimitsAsCeleryDoes() {
		assertEncodesLike("task-timelimit.json", (builder) -> builder.args(List.of(2, 3)).timeLimit(10, 5));
	}

	@Test
	void encodesPriorityAsCeleryDoes() {
		assertEncodesLike("task-priority5.json", (builder) -> builder.args(List.of(2, 3)).priority(5));
		assertEncodesLike("task-priority9.json", (builder) -> builder.args(List.of(2, 3)).priority(9));
	}

	@Test
	void encodesQueueAsRoutingKeyAsCeleryDoes() {
		assertEncodesLike("task-queue-other.json", (builder) -> builder.args(List.of(2, 3)).queue("other"));
	}

	@Test
	void encodesCallbacksAndErrbacksAsCeleryDoes() {
		Embed embed = new Embed(List.of(signature("tasks.add", List.of(10), Map.of(), false)),
				List.of(signature("tasks.echo", List.of("failed"), Map.of(), true)), null, null);
		assertEncodesLike("task-link.json", (builder) -> builder.args(List.of(2, 3)).embed(embed));
	}

	@Test
	void encodesChainAsCeleryDoes() {
		String replyTo = "16050096-cf9c-39c1-9a45-b5109ba17ab9";
		Embed embed = new Embed(null, null, List.of(
				signature("tasks.add", List.of(10), options("584b5da7-0427-4933-bc52-39987691331a", replyTo), false),
				signature("tasks.mul", List.of(4), options("f7fe0791-4531-40f2-95fb-73b939bc8084", replyTo), false)),
				null);
		assertEncodesLike("task-chain.json", (builder) -> builder.args(List.of(2, 3)).embed(embed));
	}

	@Test
	void encodesLastChainStepWithEmptyChainAsCeleryDoes() {
		assertEncodesLike("task-chain-step3.json",
				(builder) -> builder.args(List.of(20, 10))
					.parent("93d8f408-ae3d-470b-a979-287df04e39b3", "31750488-5512-4649-bbaa-f66c0786a996")
					.embed(new Embed(null, null, List.of(), null)));
	}

	@Test
	void encodesGroupMemberAsCeleryDoes() {
		assertEncodesLike("task-group.jsonl",
				(builder) -> builder.args(List.of(0, 0)).group("7502be64-f9d5-4aa7-a13f-425d3200c674", null));
	}

	@Test
	void encodesChordHeaderMemberAsCeleryDoes() {
		Map<String, @Nullable Object> body = signature("tasks.xsum", List.of(),
				options("8307fb42-10fe-4216-aea8-cacf8021541e", "16050096-cf9c-39c1-9a45-b5109ba17ab9"), false);
		assertEncodesLike("task-chord-header.jsonl",
				(builder) -> builder.args(List.of(0, 0))
					.group("5212c0d6-8741-4ed6-a926-46b0e08c7d9f", 0)
					.embed(new Embed(null, null, null, body)));
	}

	@Test
	void encodesRetryAsTheWorkerDoes() {
		String id = "dd4b3873-0e03-4710-bf7d-79706f0b9fc6";
		assertEncodesLike("task-retry-republish.json",
				(builder) -> builder.args(List.of(2))
					.retries(1)
					.eta(Instant.parse("2026-11-24T22:00:22.006199Z"))
					.parent(id, id)
					.property("replaced_task_nesting", 0)
					.property("origin", "gen13300@vm"));
	}

	@Test
	void encodesNonAsciiTextAsUtf8Json() {
		TaskMessage message = TaskMessage.builder("tasks.greet").args(List.of("Zoë ✓ 😀")).build();
		Map<String, @Nullable Object> envelope = map(Json.read(this.codec.encode(message)));
		assertThat(TaskVectors.body(envelope).get(0)).isEqualTo(List.of("Zoë ✓ 😀"));
		assertThat(map(envelope.get("headers")).get("argsrepr")).isEqualTo("('Zoë ✓ 😀',)");
	}

	@Test
	void decodesWhatItEncodes() {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("greeting", "Grüß dich");
		kwargs.put("times", 3);
		kwargs.put("extra", Arrays.asList(1.5, null, true, Map.of("nested", List.of())));
		TaskMessage message = TaskMessage.builder("tasks.greet")
			.args(List.of("Ada"))
			.kwargs(kwargs)
			.eta(Instant.parse("2030-01-02T03:04:05.123456Z"))
			.expires(Instant.parse("2030-01-03T00:00:00Z"))
			.timezone(ZoneId.of("Europe/Paris"))
			.priority(7)
			.queue("other")
			.group("g1", 2)
			.retries(1)
			.timeLimit(10, 2.5)
			.parent("p1", "r1")
			.ignoreResult(true)
			.shadow("greeter")
			.embed(new Embed(List.of(signature("tasks.add", List.of(1), Map.of(), false)), null, null, null))
			.build();
		TaskMessage decoded = this.codec.decode(this.codec.encode(message));
		assertThat(decoded).isEqualTo(message);
		assertThat(decoded.headers().eta()).isEqualTo("2030-01-02T04:04:05.123456+01:00");
	}

	@Test
	void encodesEnvelopeKeysInKombuOrder() {
		Map<String, @Nullable Object> envelope = map(Json.read(this.codec.encode(
				TaskMessage.builder("tasks.add").expires(Instant.now()).property("replaced_task_nesting", 0).build())));
		assertThat(envelope.keySet()).containsExactly("body", "content-encoding", "content-type", "headers",
				"properties");
		assertThat(map(envelope.get("headers")).keySet()).containsExactly("lang", "task", "id", "shadow", "eta",
				"expires", "group", "group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr",
				"kwargsrepr", "origin", "ignore_result");
		assertThat(map(envelope.get("properties")).keySet()).containsExactly("correlation_id", "reply_to",
				"replaced_task_nesting", "delivery_mode", "expiration", "delivery_info", "priority", "body_encoding",
				"delivery_tag");
	}

	@Test
	void rejectsPickleWithoutDecodingTheBody() {
		// Not base64 and not JSON: had the codec looked at the body, it would say so.
		String envelope = envelope("application/x-python-serialize", null, "gASV%%% not base64 %%%");
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode(envelope))
			.withMessage("Rejected message " + ID
					+ ": content type 'application/x-python-serialize' is not accepted; only application/json is.")
			.satisfies((ex) -> assertThat(ex.getMessageId()).isEqualTo(ID))
			.satisfies((ex) -> assertThat(ex.getCause()).isNull());
	}

	@Test
	void rejectsJavaSerializedObjectsWithoutDecodingTheBody() {
		String body = Base64.getEncoder().encodeToString(new byte[] { (byte) 0xac, (byte) 0xed, 0x00, 0x05, 0x73 });
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/x-java-serialized-object", null, body)))
			.withMessageContaining(ID)
			.withMessageContaining("content type 'application/x-java-serialized-object' is not accepted")
			.satisfies((ex) -> assertThat(ex.getCause()).isNull());
	}

	@Test
	void rejectsYaml() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/x-yaml", "- [1, 2]\n- {}\n- {}\n")))
			.withMessageContaining(ID)
			.withMessageContaining("content type 'application/x-yaml' is not accepted; only application/json is.");
	}

	@Test
	void rejectsMsgpack() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/x-msgpack", null, "k5KSAQKAgA==")))
			.withMessageContaining(ID)
			.withMessageContaining("content type 'application/x-msgpack' is not accepted");
	}

	@Test
	void rejectsMissingContentType() {
		String envelope = edited((raw) -> raw.remove("content-type"));
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode(envelope))
			.withMessage("Rejected message " + ID + ": content type is missing; only application/json is.");
	}

	@Test
	void rejectsContentEncodingOtherThanUtf8() {
		String envelope = edited((raw) -> raw.put("content-encoding", "utf-16"));
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode(envelope))
			.withMessageContaining(ID)
			.withMessageContaining("content encoding 'utf-16' is not supported; only utf-8 is.");
	}

	@Test
	void rejectsEnvelopeThatIsNotJson() {
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode("{\"body\": [1, 2"))
			.withMessageStartingWith("Rejected message without id: envelope is not valid JSON")
			.satisfies((ex) -> assertThat(ex.getMessageId()).isNull());
	}

	@Test
	void rejectsEnvelopeFollowedByGarbage() {
		String envelope = envelope("application/json", "[[], {}, {}]") + " trailing";
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode(envelope))
			.withMessageContaining("envelope is not valid JSON");
	}

	@Test
	void rejectsEnvelopeThatIsNotAnObject() {
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode("[1, 2, 3]"))
			.withMessage("Rejected message without id: envelope must be a JSON object, got an array.");
	}

	@Test
	void rejectsProtocolVersion1Message() {
		String body = base64("{\"task\": \"tasks.add\", \"id\": \"" + ID + "\", \"args\": [2, 3], \"kwargs\": {}}");
		String envelope = "{\"body\": \"" + body + "\", \"content-encoding\": \"utf-8\", "
				+ "\"content-type\": \"application/json\", \"headers\": {}, \"properties\": {\"correlation_id\": \""
				+ ID + "\", \"body_encoding\": \"base64\", \"delivery_tag\": \"t1\"}}";
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode(envelope))
			.withMessageStartingWith("Rejected message " + ID + ": no 'task' header")
			.withMessageContaining("protocol v1 is not supported");
	}

	@Test
	void rejectsMessageWithoutIdNamingItsDeliveryTag() {
		String envelope = edited((raw) -> {
			map(raw.get("headers")).remove("id");
			map(raw.get("properties")).remove("correlation_id");
		});
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode(envelope))
			.withMessage("Rejected message with delivery tag tag-1 of task 'tasks.add': header 'id' must be a"
					+ " non-empty string, got none.");
	}

	@Test
	void rejectsTaskNameThatIsNotAString() {
		String envelope = edited((raw) -> map(raw.get("headers")).put("task", 42));
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode(envelope))
			.withMessage("Rejected message " + ID + ": header 'task' must be a non-empty string, got 42.");
	}

	@Test
	void rejectsBodyThatIsNotBase64() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/json", null, "W1tdLCB7fSwge31d!!")))
			.withMessageStartingWith("Rejected message " + ID + ": body is not valid base64");
	}

	@Test
	void acceptsBase64WrappedOnSeveralLines() {
		String wrapped = base64("[[1], {}, {}]").replaceAll("(.{8})", "$1\n");
		assertThat(this.codec.decode(envelope("application/json", null, wrapped)).args()).containsExactly(1);
	}

	@Test
	void rejectsBodyThatIsNotUtf8() {
		String body = Base64.getEncoder().encodeToString(new byte[] { '[', '"', (byte) 0xff, '"', ']' });
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/json", null, body)))
			.withMessage("Rejected message " + ID + ": body is not valid UTF-8.");
	}

	@Test
	void rejectsBodyThatIsNotJson() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/json", "[[2, 3], {}")))
			.withMessageStartingWith("Rejected message " + ID + ": body is not valid JSON");
	}

	@Test
	void rejectsBodyThatIsNotThreeElements() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/json", "[[2, 3], {}]")))
			.withMessage("Rejected message " + ID + ": body must be [args, kwargs, embed], got 2 element(s).");
	}

	@Test
	void rejectsBodyThatIsNotAList() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/json", "{\"args\": [2, 3]}")))
			.withMessage("Rejected message " + ID + ": body must be a JSON array, got an object.");
	}

	@Test
	void rejectsArgsThatAreNotAList() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/json", "[\"2, 3\", {}, {}]")))
			.withMessage("Rejected message " + ID + ": args must be a JSON array, got a string.");
	}

	@Test
	void rejectsKwargsThatAreNotAnObject() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/json", "[[], [[\"greeting\", \"Hi\"]], {}]")))
			.withMessage("Rejected message " + ID + ": kwargs must be a JSON object, got an array.");
	}

	@Test
	void rejectsEmbedWhoseCallbacksAreNotSignatures() {
		assertThatExceptionOfType(InvalidTaskException.class)
			.isThrownBy(() -> this.codec.decode(envelope("application/json", "[[], {}, {\"callbacks\": [\"x\"]}]")))
			.withMessage("Rejected message " + ID + ": embed.callbacks element must be a JSON object, got a string.");
	}

	@Test
	void rejectsBodyEncodingOtherThanBase64() {
		String envelope = edited((raw) -> map(raw.get("properties")).put("body_encoding", "zlib"));
		assertThatExceptionOfType(InvalidTaskException.class).isThrownBy(() -> this.codec.decode(envelope))
			.withMessage("Rejected message " + ID + ": body encoding 'zlib' is not supported; only base64 is.");
	}

	private void assertEncodesLike(String vector, UnaryOperator<TaskMessageBuilder> call) {
		String capture = vector.endsWith(".jsonl") ? TaskVectors.lines(vector).get(0) : TaskVectors.read(vector);
		Map<String, @Nullable Object> expected = TaskVectors.tree(capture);
		Map<String, @Nullable Object> headers = map(expected.get("headers"));
		Map<String, @Nullable Object> properties = map(expected.get("properties"));
		TaskMessageBuilder builder = TaskMessage.builder((String) headers.get("task"))
			.id((String) headers.get("id"))
			.origin((String) headers.get("origin"))
			.replyTo((String) properties.get("reply_to"));
		Map<String, @Nullable Object> actual = TaskVectors.tree(this.codec.encode(call.apply(builder).build()));
		// Differences by design: the producer's language, a fresh delivery tag per
		// publish, a TTL counted from now.
		Map<String, @Nullable Object> actualHeaders = map(actual.get("headers"));
		assertThat(actualHeaders.put("lang", "py")).isEqualTo("java");
		Map<String, @Nullable Object> actualProperties = map(actual.get("properties"));
		String tag = (String) actualProperties.put("delivery_tag", properties.get("delivery_tag"));
		assertThat(UUID.fromString(tag).toString()).isEqualTo(tag).isNotEqualTo(properties.get("delivery_tag"));
		if (properties.containsKey("expiration")) {
			assertThat((String) actualProperties.put("expiration", properties.get("expiration"))).containsOnlyDigits();
		}
		assertThat(Json.write(actual)).isEqualTo(Json.write(expected));
	}

	private static Map<String, @Nullable Object> signature(String task, List<?> args, Map<String, ?> options,
			boolean immutable) {
		Map<String, @Nullable Object> signature = new LinkedHashMap<>();
		signature.put("task", task);
		signature.put("args", args);
		signature.put("kwargs", Map.of());
		signature.put("options", options);
		signature.put("subtask_type", null);
		signature.put("immutable", immutable);
		return signature;
	}

	private static Map<String, String> options(String taskId, String replyTo) {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("task_id", taskId);
		options.put("reply_to", replyTo);
		return options;
	}

	private static String envelope(String contentType, String body) {
		return Json.write(envelope(contentType, body, (envelope) -> {
		}));
	}

	private static String envelope(String contentType, @Nullable String body, String encodedBody) {
		return Json.write(envelope(contentType, body, (envelope) -> envelope.put("body", encodedBody)));
	}

	/**
	 * Return a valid envelope as an ordered map, changed by the given edit.
	 */
	private static Map<String, @Nullable Object> envelope(String contentType, @Nullable String body,
			Consumer<Map<String, @Nullable Object>> edit) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "tasks.add");
		headers.put("id", ID);
		headers.put("retries", 0);
		Map<String, @Nullable Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", "");
		deliveryInfo.put("routing_key", "celery");
		Map<String, @Nullable Object> properties = new LinkedHashMap<>();
		properties.put("correlation_id", ID);
		properties.put("reply_to", "");
		properties.put("delivery_mode", 2);
		properties.put("delivery_info", deliveryInfo);
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", "tag-1");
		Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
		envelope.put("body", (body != null) ? base64(body) : null);
		envelope.put("content-encoding", "utf-8");
		envelope.put("content-type", contentType);
		envelope.put("headers", headers);
		envelope.put("properties", properties);
		edit.accept(envelope);
		return envelope;
	}

	private static String edited(Consumer<Map<String, @Nullable Object>> edit) {
		return Json.write(envelope("application/json", "[[], {}, {}]", edit));
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	@SuppressWarnings("unchecked")
	private static List<@Nullable Object> castList(@Nullable Object value) {
		return new ArrayList<>((List<@Nullable Object>) value);
	}

}
