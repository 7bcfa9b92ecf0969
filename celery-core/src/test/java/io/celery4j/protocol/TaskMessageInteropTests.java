package io.celery4j.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.celery4j.testsupport.PythonCelery;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.celery4j.protocol.TaskVectors.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Task messages between this codec and real Python Celery (5.2.6 on the reference
 * machine), without a broker: Java messages are read and run by Celery's own worker code
 * ({@code interop/read_messages.py}), and messages sent by Celery's client code
 * ({@code interop/write_messages.py}) are read by the codec.
 */
class TaskMessageInteropTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private static final String[] ORDERED_HEADERS = { "lang", "task", "id", "shadow", "eta", "expires", "group",
			"group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
			"ignore_result" };

	@TempDir
	static Path scripts;

	private PythonCelery python;

	private static @Nullable Map<String, List<String>> sentByCelery;

	private final TaskMessageCodec codec = new TaskMessageCodec();

	@BeforeAll
	static void copyScripts() throws IOException {
		Files.writeString(scripts.resolve("interop_app.py"), PythonCelery.resource("interop/interop_app.py"),
				StandardCharsets.UTF_8);
	}

	@BeforeEach
	void requirePythonCelery() {
		this.python = PythonCelery.require();
	}

	@Test
	void celeryWorkerRunsPositionalArguments() {
		TaskMessage message = TaskMessage.builder("tasks.add").args(List.of(2, 3)).build();
		Map<String, @Nullable Object> seen = readByCelery(message).get(0);
		assertThat(seen).containsEntry("id", message.id())
			.containsEntry("task", "tasks.add")
			.containsEntry("args", List.of(2, 3))
			.containsEntry("kwargs", Map.of())
			.containsEntry("root_id", message.id())
			.containsEntry("parent_id", null)
			.containsEntry("correlation_id", message.id())
			.containsEntry("content_type", "application/json")
			.containsEntry("revoked", false)
			.containsEntry("result", 5);
		assertThat(seen.get("argsrepr")).isEqualTo("(2, 3)").isEqualTo(seen.get("python_argsrepr"));
		assertThat(seen.get("header_keys")).isEqualTo(List.of(ORDERED_HEADERS));
		assertThat(seen.get("property_keys")).isEqualTo(List.of("correlation_id", "reply_to", "delivery_mode",
				"delivery_info", "priority", "body_encoding", "delivery_tag"));
	}

	@Test
	void celeryWorkerRunsNonAsciiKeywordArguments() {
		TaskMessage message = TaskMessage.builder("tasks.greet")
			.args(List.of("Zoë"))
			.kwargs(Map.of("greeting", "Grüß dich ✓ 😀"))
			.build();
		Map<String, @Nullable Object> seen = readByCelery(message).get(0);
		assertThat(seen).containsEntry("args", List.of("Zoë"))
			.containsEntry("kwargs", Map.of("greeting", "Grüß dich ✓ 😀"))
			.containsEntry("result", "Grüß dich ✓ 😀, Zoë!");
		assertThat(seen.get("kwargsrepr")).isEqualTo("{'greeting': 'Grüß dich ✓ 😀'}")
			.isEqualTo(seen.get("python_kwargsrepr"));
	}

	@Test
	void celeryWorkerReadsEtaExpiresPriorityQueueAndTimeLimits() {
		Instant eta = Instant.parse("2030-01-02T03:04:05.123456Z");
		Instant expires = Instant.parse("2030-01-03T00:00:00Z");
		TaskMessage message = TaskMessage.builder("tasks.add")
			.args(List.of(1, 2))
			.eta(eta)
			.expires(expires)
			.timezone(ZoneId.of("Europe/Paris"))
			.priority(7)
			.queue("other")
			.timeLimit(10, 5)
			.build();
		Map<String, @Nullable Object> seen = readByCelery(message).get(0);
		assertThat(seen).containsEntry("eta", "2030-01-02T04:04:05.123456+01:00")
			.containsEntry("eta_parsed", "2030-01-02T04:04:05.123456+01:00")
			.containsEntry("expires", "2030-01-03T01:00:00+01:00")
			.containsEntry("time_limits", List.of(10, 5))
			.containsEntry("revoked", false)
			.containsEntry("result", 3);
		assertThat(((Number) seen.get("eta_timestamp")).doubleValue())
			.isCloseTo(eta.getEpochSecond() + eta.getNano() / 1e9, within(1e-6));
		assertThat(((Number) seen.get("expires_timestamp")).doubleValue()).isEqualTo((double) expires.getEpochSecond());
		assertThat(map(seen.get("delivery_info"))).containsEntry("priority", 7)
			.containsEntry("routing_key", "other")
			.containsEntry("exchange", "");
		assertThat(seen.get("property_keys")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("expiration");
	}

	@Test
	void celeryWorkerReadsArgumentsAndArgsreprAsItsOwn() {
		List<@Nullable Object> args = Arrays.asList("it's", "say \"hi\"", "line\nbreak \\ slash", 0.1, 1e16, 1e-05,
				9007199254740993L, -0.0, null, true, List.of(List.of(List.of(List.of(1)))),
				Map.of("a", Map.of("b", Map.of("c", 1))), "x".repeat(1100));
		TaskMessage message = TaskMessage.builder("tasks.echo").args(args).kwargs(Map.of("key", "värde")).build();
		Map<String, @Nullable Object> seen = readByCelery(message).get(0);
		assertThat(seen.get("args")).isEqualTo(args);
		assertThat(map(seen.get("result"))).containsEntry("args", args).containsEntry("kwargs", Map.of("key", "värde"));
		assertThat(message.headers().argsRepr()).isEqualTo(seen.get("python_argsrepr"));
		assertThat(message.headers().kwargsRepr()).isEqualTo(seen.get("python_kwargsrepr"));
	}

	@Test
	void celeryWorkerContinuesAChainBuiltInJava() {
		Map<String, @Nullable Object> next = new LinkedHashMap<>();
		next.put("task", "tasks.mul");
		next.put("args", List.of(4));
		next.put("kwargs", Map.of());
		next.put("options", Map.of("task_id", "5b9a3b2e-0d0e-4d43-9a9f-1d8f9c1f2e3a"));
		next.put("subtask_type", null);
		next.put("immutable", false);
		TaskMessage message = TaskMessage.builder("tasks.add")
			.args(List.of(2, 3))
			.embed(new Embed(null, null, List.of(next), null))
			.build();
		Map<String, @Nullable Object> seen = readByCelery(message).get(0);
		assertThat(seen).containsEntry("result", 5);
		List<?> sent = (List<?>) seen.get("sent");
		assertThat(sent).hasSize(1);
		TaskMessage step = this.codec.decode((String) sent.get(0));
		assertThat(step.taskName()).isEqualTo("tasks.mul");
		assertThat(step.id()).isEqualTo("5b9a3b2e-0d0e-4d43-9a9f-1d8f9c1f2e3a");
		assertThat(step.args()).containsExactly(5, 4);
		assertThat(step.headers().parentId()).isEqualTo(message.id());
		assertThat(step.headers().rootId()).isEqualTo(message.id());
		assertThat(step.embed().chain()).isEmpty();
	}

	@Test
	void codecReadsWhatCeleryClientsSend() {
		Map<String, List<String>> sent = sentByCelery();
		assertThat(sent).containsOnlyKeys("add", "greet", "options", "send_task", "link", "chain", "group", "chord",
				"echo");
		sent.values().stream().flatMap(List::stream).forEach((envelope) -> {
			TaskMessage message = this.codec.decode(envelope);
			assertThat(Json.write(TaskVectors.tree(this.codec.encode(message))))
				.isEqualTo(Json.write(TaskVectors.tree(envelope)));
			assertThat(PythonRepr.args(message.args())).isEqualTo(message.headers().argsRepr());
			assertThat(PythonRepr.kwargs(message.kwargs())).isEqualTo(message.headers().kwargsRepr());
		});
		TaskMessage add = this.codec.decode(sent.get("add").get(0));
		assertThat(add.args()).containsExactly(2, 3);
		TaskMessage greet = this.codec.decode(sent.get("greet").get(0));
		assertThat(greet.args()).containsExactly("Zoë");
		assertThat(greet.kwargs()).containsExactly(Map.entry("greeting", "Grüß dich ✓ 😀"));
		TaskMessage sendTask = this.codec.decode(sent.get("send_task").get(0));
		assertThat(sendTask.kwargs()).containsExactly(Map.entry("name", "Ada"));
	}

	@Test
	void codecReadsDatesPriorityQueueAndTimeLimitsThatCelerySends() {
		TaskMessage message = this.codec.decode(sentByCelery().get("options").get(0));
		assertThat(CeleryDates.parse(message.headers().eta(), ZoneId.of("UTC")))
			.isEqualTo(Instant.parse("2030-01-02T02:04:05.123456Z"));
		assertThat(CeleryDates.parse(message.headers().expires(), ZoneId.of("UTC")))
			.isEqualTo(Instant.parse("2030-01-03T00:00:00Z"));
		assertThat(message.properties().priority()).isEqualTo(7);
		assertThat(message.properties().routingKey()).isEqualTo("other");
		assertThat(message.headers().timeLimit()).containsExactly(10, 5);
		assertThat(message.properties().extra()).containsKey("expiration");
	}

	@Test
	void codecReadsCanvasThatCelerySends() {
		Map<String, List<String>> sent = sentByCelery();
		TaskMessage link = this.codec.decode(sent.get("link").get(0));
		assertThat(link.embed().callbacks()).extracting((signature) -> signature.get("task"))
			.containsExactly("tasks.add");
		assertThat(link.embed().errbacks()).extracting((signature) -> signature.get("immutable")).containsExactly(true);
		TaskMessage chain = this.codec.decode(sent.get("chain").get(0));
		assertThat(chain.embed().chain()).extracting((signature) -> signature.get("task"))
			.containsExactly("tasks.add", "tasks.mul");
		List<TaskMessage> group = sent.get("group").stream().map(this.codec::decode).toList();
		assertThat(group).extracting((member) -> member.headers().group()).doesNotContainNull().hasSize(2);
		assertThat(group.get(0).headers().group()).isEqualTo(group.get(1).headers().group());
		List<TaskMessage> chord = sent.get("chord").stream().map(this.codec::decode).toList();
		assertThat(chord).extracting((member) -> member.headers().groupIndex()).containsExactly(0, 1);
		assertThat(chord).extracting((member) -> member.embed().chord().get("task")).containsOnly("tasks.xsum");
	}

	private List<Map<String, @Nullable Object>> readByCelery(TaskMessage... messages) {
		String input = Arrays.stream(messages).map(this.codec::encode).collect(Collectors.joining("\n", "", "\n"));
		List<String> lines = this.python
			.run(PythonCelery.resource("interop/read_messages.py"), List.of(), input, TIMEOUT, scripts)
			.successfulOutput()
			.lines()
			.toList();
		assertThat(lines).hasSize(messages.length);
		List<Map<String, @Nullable Object>> seen = lines.stream().map((line) -> map(Json.read(line))).toList();
		seen.forEach((answer) -> assertThat(answer).as("Celery could not read the message: %s", answer)
			.doesNotContainKey("error"));
		return seen;
	}

	private Map<String, List<String>> sentByCelery() {
		synchronized (TaskMessageInteropTests.class) {
			if (sentByCelery == null) {
				sentByCelery = runClients(this.python);
			}
			return sentByCelery;
		}
	}

	private static Map<String, List<String>> runClients(PythonCelery python) {
		String output = python
			.run(PythonCelery.resource("interop/write_messages.py"), List.of(), null, TIMEOUT, scripts)
			.successfulOutput();
		Map<String, List<String>> sent = new LinkedHashMap<>();
		output.lines()
			.filter((line) -> !line.isBlank())
			.map((line) -> map(Json.read(line)))
			.forEach((line) -> sent.computeIfAbsent((String) line.get("call"), (call) -> new ArrayList<>())
				.add((String) line.get("envelope")));
		return sent;
	}

}
