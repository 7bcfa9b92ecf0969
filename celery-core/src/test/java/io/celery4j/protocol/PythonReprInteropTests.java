package io.celery4j.protocol;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.celery4j.testsupport.PythonCelery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.celery4j.protocol.TaskVectors.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PythonRepr} against real Python: {@code repr} of CPython and
 * {@code celery.utils.saferepr.saferepr(value, 1024)}, the function behind
 * {@code argsrepr} and {@code kwargsrepr}, on fixed and on generated values (fixed seeds,
 * so a failure repeats).
 */
class PythonReprInteropTests {

	private static final String[] WORDS = { "a", "Ada", "it's", "say \"hi\"", "back\\slash", "tab\there", "line\nbreak",
			"héllo", "✓", "日本", "😀", "\u0000", "\u001b", "\u007f", "\u0085", "\u00a0", "\u00ad", "\u2028", "\u3000",
			"\ue000", "\ufeff", " ", "", "x".repeat(40) };

	private PythonCelery python;

	@BeforeEach
	void requirePythonCelery() {
		this.python = PythonCelery.require();
	}

	@Test
	void writesValuesAsPythonReprDoes() {
		List<@Nullable Object> values = new ArrayList<>(Arrays.asList((Object[]) WORDS));
		values.addAll(Arrays.asList(null, true, false, 0, -7, 9007199254740993L, 0.0, -0.0, 1.5, 3.0, 1e16, 1e-05,
				0.0001, 0.1, 1e22, 5e-324, 1.7976931348623157e308));
		values.add(List.of(1, List.of("a", Map.of("k", List.of()))));
		Random random = new Random(20261124);
		for (int i = 0; i < 1000; i++) {
			double value = Double.longBitsToDouble(random.nextLong());
			if (i % 4 == 0 && Double.isFinite(value)) {
				values.add(value);
			}
			values.add(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
		}
		List<?> expected = (List<?>) askPython("repr", values);
		List<String> actual = values.stream().map(PythonRepr::value).toList();
		for (int i = 0; i < values.size(); i++) {
			Object value = values.get(i);
			assertThat(actual.get(i)).as(() -> "repr of " + value).isEqualTo(expected.get(i));
		}
	}

	@Test
	void writesArgsreprAsCeleryDoes() {
		List<List<@Nullable Object>> argsLists = new ArrayList<>();
		argsLists.add(List.of());
		argsLists.add(List.of(2, 3));
		argsLists.add(List.of("Ada"));
		argsLists.add(List.of(List.of(List.of(List.of(1)))));
		argsLists.add(List.of("x".repeat(2000)));
		argsLists.add(List.of("word ".repeat(300)));
		argsLists.add(List.of(List.of(List.of(List.of(List.of(1))), 2), 3));
		argsLists.add(new ArrayList<>(Arrays.asList((Object[]) WORDS)));
		Random random = new Random(1024);
		for (int i = 0; i < 400; i++) {
			List<@Nullable Object> args = new ArrayList<>();
			int count = random.nextInt(6);
			for (int j = 0; j < count; j++) {
				args.add(randomValue(random, 0));
			}
			argsLists.add(args);
		}
		List<?> expected = (List<?>) askPython("args", argsLists);
		for (int i = 0; i < argsLists.size(); i++) {
			List<@Nullable Object> args = argsLists.get(i);
			assertThat(PythonRepr.args(args)).as(() -> "argsrepr of " + args).isEqualTo(expected.get(i));
		}
	}

	@Test
	void writesKwargsreprAsCeleryDoes() {
		List<Map<String, @Nullable Object>> kwargsMaps = new ArrayList<>();
		kwargsMaps.add(Map.of());
		kwargsMaps.add(Map.of("greeting", "Hi"));
		kwargsMaps.add(Map.of("k".repeat(1030), 1));
		Random random = new Random(2048);
		for (int i = 0; i < 300; i++) {
			Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
			int count = random.nextInt(6);
			for (int j = 0; j < count; j++) {
				kwargs.put(randomText(random), randomValue(random, 0));
			}
			kwargsMaps.add(kwargs);
		}
		List<?> expected = (List<?>) askPython("kwargs", kwargsMaps);
		for (int i = 0; i < kwargsMaps.size(); i++) {
			Map<String, @Nullable Object> kwargs = kwargsMaps.get(i);
			assertThat(PythonRepr.kwargs(kwargs)).as(() -> "kwargsrepr of " + kwargs).isEqualTo(expected.get(i));
		}
	}

	private @Nullable Object askPython(String question, List<?> values) {
		Map<String, @Nullable Object> request = Map.of(question, values);
		String answer = this.python
			.run(PythonCelery.resource("interop/python_views.py"), List.of(), Json.write(request),
					Duration.ofMinutes(2))
			.successfulOutput();
		List<?> answers = (List<?>) map(Json.read(answer)).get(question);
		assertThat(answers).hasSameSizeAs(values);
		return answers;
	}

	private static @Nullable Object randomValue(Random random, int depth) {
		int kind = random.nextInt((depth < 5) ? 9 : 6);
		return switch (kind) {
			case 0 -> null;
			case 1 -> random.nextBoolean();
			case 2 -> random.nextInt(2_000_001) - 1_000_000;
			case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(30) - 10);
			case 4, 5 -> randomText(random);
			case 6, 7 -> {
				List<@Nullable Object> list = new ArrayList<>();
				// Long lists only near the top, so the trees stay small.
				int size = random.nextInt((depth == 0 && random.nextBoolean()) ? 300 : 4);
				for (int i = 0; i < size; i++) {
					list.add(randomValue(random, depth + 1));
				}
				yield list;
			}
			default -> {
				Map<String, @Nullable Object> map = new LinkedHashMap<>();
				int size = random.nextInt(5);
				for (int i = 0; i < size; i++) {
					map.put(randomText(random), randomValue(random, depth + 1));
				}
				yield map;
			}
		};
	}

	private static String randomText(Random random) {
		StringBuilder text = new StringBuilder();
		int words = random.nextInt((random.nextInt(20) == 0) ? 400 : 6);
		for (int i = 0; i < words; i++) {
			text.append(WORDS[random.nextInt(WORDS.length)]).append((random.nextInt(3) == 0) ? "" : " ");
		}
		return text.toString();
	}

}
