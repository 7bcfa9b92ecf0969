package io.celery4j.backend;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TaskMetaCodecTests {

	static List<String> vectors() {
		return CeleryWireVectors.taskResultNames();
	}

	@Test
	void findsEveryCapturedTaskRecord() {
		assertThat(vectors()).hasSize(28)
			.contains("result-failure.json", "result-extended-success.json", "result-unregistered.json",
					"result-chain-middle.json");
	}

	@ParameterizedTest
	@MethodSource("vectors")
	void reEncodesCapturedRecordsAsTheSameJsonWithKeysInTheSameOrder(String name) {
		String captured = CeleryWireVectors.read(name);
		String encoded = encodeAsCeleryDid(captured);
		JsonNode expected = Json.mapper().readTree(captured);
		JsonNode actual = Json.mapper().readTree(encoded);
		assertThat(actual).isEqualTo(expected);
		assertThat(keyOrder(actual)).isEqualTo(keyOrder(expected));
	}

	@ParameterizedTest
	@MethodSource("vectors")
	void reEncodesCapturedRecordsByteForByte(String name) {
		String captured = CeleryWireVectors.read(name);
		assertThat(encodeAsCeleryDid(captured)).isEqualTo(captured);
	}

	private static String encodeAsCeleryDid(String captured) {
		TaskMeta meta = TaskMetaCodec.decode("unused", captured);
		// result_extended is a setting of the writer; the record shows whether it was on.
		return TaskMetaCodec.encode(meta, captured.contains("\"name\": "));
	}

	private static List<String> keyOrder(JsonNode node) {
		List<String> keys = new ArrayList<>();
		collectKeys(node, "", keys);
		return keys;
	}

	private static void collectKeys(JsonNode node, String path, List<String> keys) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				keys.add(path + "/" + field.getKey());
				collectKeys(field.getValue(), path + "/" + field.getKey(), keys);
			}
		}
		else if (node.isArray()) {
			Iterator<JsonNode> elements = node.values().iterator();
			for (int i = 0; elements.hasNext(); i++) {
				collectKeys(elements.next(), path + "/" + i, keys);
			}
		}
	}

	@Test
	void readsAFailureWithItsException() {
		TaskMeta meta = TaskMetaCodec.decode("unused", CeleryWireVectors.read("result-failure.json"));
		assertThat(meta.taskId()).isEqualTo("5b2123a3-f0bf-4b47-8776-605f5cd63f11");
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		assertThat(meta.isReady()).isTrue();
		assertThat(meta.exception()).isEqualTo(new ExceptionInfo("ValueError", List.of("boom: bad value"), "builtins"));
		assertThat(meta.traceback()).startsWith("Traceback (most recent call last):\n")
			.endsWith("ValueError: boom: bad value\n");
		assertThat(meta.dateDone()).isEqualTo("2026-11-24T22:00:21.902784");
		assertThat(meta.children()).isEmpty();
	}

	@Test
	void readsTheExtendedFields() {
		TaskMeta meta = TaskMetaCodec.decode("unused", CeleryWireVectors.read("result-extended-success.json"));
		assertThat(meta.result()).isEqualTo("Hi, Ada!");
		assertThat(meta.name()).isEqualTo("tasks.greet");
		assertThat(meta.args()).containsExactly("Ada");
		assertThat(meta.kwargs()).containsExactly(Map.entry("greeting", "Hi"));
		assertThat(meta.worker()).isEqualTo("celery@vm");
		assertThat(meta.retries()).isZero();
		assertThat(meta.queue()).isEqualTo("celery");
		assertThat(TaskMetaCodec.isExtended(meta)).isTrue();
	}

	@Test
	void readsGroupParentAndChildren() {
		TaskMeta member = TaskMetaCodec.decode("unused", CeleryWireVectors.read("result-group-member.json"));
		assertThat(member.groupId()).isEqualTo("a17024b4-8137-4f6b-91cb-e76c61f8d272");
		TaskMeta middle = TaskMetaCodec.decode("unused", CeleryWireVectors.read("result-chain-middle.json"));
		assertThat(middle.parentId()).isEqualTo("31750488-5512-4649-bbaa-f66c0786a996");
		// Each child is a result tuple: [[id, parent], null].
		assertThat(middle.children())
			.containsExactly(Arrays.asList(Arrays.asList("74e67d23-80ba-41a4-93ed-c588aaf8dee6", null), null));
	}

	@Test
	void readsValuesOfEveryJsonType() {
		assertThat(decodeVector("result-success-unicode.json").result()).isEqualTo("héllo wörld ✓ 日本 😀");
		assertThat(decodeVector("result-success-bigint.json").result()).isEqualTo(9007199254740992L);
		assertThat(decodeVector("result-success-float.json").result()).isEqualTo(1.5);
		assertThat(decodeVector("result-success-none.json").result()).isNull();
		assertThat(decodeVector("result-success-list.json").result())
			.isEqualTo(Arrays.asList(1, "two", 3.0, null, List.of(4)));
		assertThat(decodeVector("result-started.json").result())
			.isEqualTo(Map.of("pid", 13247, "hostname", "celery@vm"));
	}

	private static TaskMeta decodeVector(String name) {
		return TaskMetaCodec.decode("unused", CeleryWireVectors.read(name));
	}

	@Test
	void writesFieldsInCeleryOrder() {
		Map<String, Object> kwargs = new LinkedHashMap<>();
		kwargs.put("greeting", "Hi");
		TaskMeta meta = new TaskMeta("t1", TaskState.SUCCESS, 5, null, List.of(), "2026-11-24T22:00:21", "g1", "p1",
				"tasks.add", List.of(2, 3), new LinkedHashMap<>(kwargs), "java@host", 1, "celery");
		assertThat(TaskMetaCodec.encode(meta))
			.isEqualTo("{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, "
					+ "\"children\": [], \"date_done\": \"2026-11-24T22:00:21\", \"group_id\": \"g1\", \"parent_id\": \"p1\", "
					+ "\"name\": \"tasks.add\", \"args\": [2, 3], \"kwargs\": {\"greeting\": \"Hi\"}, \"worker\": \"java@host\", "
					+ "\"retries\": 1, \"queue\": \"celery\", \"task_id\": \"t1\"}");
	}

	@Test
	void leavesOutEmptyGroupAndParentAndUnsetExtendedFields() {
		TaskMeta meta = new TaskMeta("t1", TaskState.STARTED, null, null, List.of(), null, "", null, null, null, null,
				null, null, null);
		assertThat(TaskMetaCodec.encode(meta)).isEqualTo("{\"status\": \"STARTED\", \"result\": null, "
				+ "\"traceback\": null, \"children\": [], \"date_done\": null, \"task_id\": \"t1\"}");
	}

	@Test
	void writesExtendedFieldsAsNullWhenAskedAndUnknown() {
		TaskMeta meta = TaskMetas.success("t1", 5);
		assertThat(TaskMetaCodec.encode(meta, true))
			.contains("\"name\": null, \"args\": null, \"kwargs\": null, \"worker\": null, \"retries\": null, "
					+ "\"queue\": null, \"task_id\": \"t1\"}");
	}

	@Test
	void writesNumbersBeyondLong() {
		BigInteger big = BigInteger.TWO.pow(70);
		TaskMeta meta = TaskMetas.success("t1", big);
		TaskMeta decoded = TaskMetaCodec.decode("t1", TaskMetaCodec.encode(meta));
		assertThat(decoded.result()).isEqualTo(big);
	}

	@Test
	void takesTheTaskIdFromTheKeyWhenTheRecordHasNone() {
		TaskMeta meta = TaskMetaCodec.decode("t9", "{\"status\": \"SUCCESS\", \"result\": 1}");
		assertThat(meta.taskId()).isEqualTo("t9");
		assertThat(meta.children()).isEmpty();
	}

	@Test
	void readsNotANumberAsPythonWritesIt() {
		TaskMeta meta = TaskMetaCodec.decode("t1", "{\"status\": \"SUCCESS\", \"result\": [NaN, Infinity]}");
		assertThat(meta.result()).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY));
		assertThat(TaskMetaCodec.encode(meta)).contains("\"result\": [NaN, Infinity]");
	}

	@Test
	void rejectsTextThatIsNotJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskMetaCodec.decode("t1", "SUCCESS"))
			.withMessageContaining("not valid JSON");
	}

	@Test
	void rejectsJsonThatIsNotAnObject() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskMetaCodec.decode("t1", "[1, 2]"))
			.withMessageContaining("must be a JSON object, got [1, 2] (list)");
	}

	@Test
	void rejectsARecordWithoutStatus() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskMetaCodec.decode("t1", "{\"result\": 1}"))
			.withMessageContaining("no 'status'");
	}

	@Test
	void rejectsAFieldOfTheWrongTypeNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskMetaCodec.decode("t1", "{\"status\": \"SUCCESS\", \"retries\": \"two\"}"))
			.withMessageContaining("'retries' must be an integer, got \"two\" (string)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskMetaCodec.decode("t1", "{\"status\": \"SUCCESS\", \"children\": {}}"))
			.withMessageContaining("'children' must be a list");
	}

}
