package io.celery4j.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.celery4j.testsupport.PythonCelery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.celery4j.protocol.TaskVectors.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link CeleryDates} against real Python: {@code datetime.isoformat()} for writing and
 * {@code celery.utils.iso8601.parse_iso8601} for reading.
 */
class CeleryDatesInteropTests {

	private PythonCelery python;

	@BeforeEach
	void requirePythonCelery() {
		this.python = PythonCelery.require();
	}

	@Test
	void writesWhatPythonIsoformatWrites() {
		Random random = new Random(1970);
		List<List<Long>> inputs = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			long micros = random.nextLong(4_102_444_800_000_000L);
			if (i % 5 == 0) {
				micros = micros / 1_000_000 * 1_000_000;
			}
			inputs.add(List.of(micros, (long) (random.nextInt(18 * 4 * 2 + 1) - 18 * 4) * 15));
		}
		List<?> expected = (List<?>) askPython("format", inputs);
		for (int i = 0; i < inputs.size(); i++) {
			Instant instant = Instant.EPOCH.plus(inputs.get(i).get(0), ChronoUnit.MICROS);
			ZoneOffset offset = ZoneOffset.ofTotalSeconds(inputs.get(i).get(1).intValue() * 60);
			assertThat(CeleryDates.format(instant, offset)).as("%s at %s", instant, offset).isEqualTo(expected.get(i));
		}
	}

	@Test
	void readsWhatCeleryReads() {
		List<String> texts = new ArrayList<>(List.of("2026-11-24T22:00:27.079396+00:00", "2030-01-02T03:04:05+00:00",
				"2026-11-24T22:14:39.750000Z", "2030-01-02T03:04:05+01:00", "2030-01-02T03:04:05.000001-05:30",
				"2030-01-02T03:04:05", "2030-01-02", "2030-01-02T03:04", "2030-01-02 03:04:05+00:00",
				"2030-1-2T3:04:05Z", "2030-01-02T03:04:05+00:00 and more", "2030-01-02T03"));
		Random random = new Random(8601);
		for (int i = 0; i < 300; i++) {
			Instant instant = Instant.EPOCH.plus(random.nextLong(4_102_444_800_000_000L), ChronoUnit.MICROS);
			int minutes = (random.nextInt(18 * 4 * 2 + 1) - 18 * 4) * 15;
			texts.add(CeleryDates.format(instant, ZoneOffset.ofTotalSeconds(minutes * 60)));
		}
		List<?> expected = (List<?>) askPython("parse", texts);
		for (int i = 0; i < texts.size(); i++) {
			Map<String, @Nullable Object> answer = map(expected.get(i));
			String text = texts.get(i);
			if (answer.containsKey("error")) {
				assertThatIllegalArgumentException().as("%s, which Celery rejects", text)
					.isThrownBy(() -> CeleryDates.parse(text, ZoneOffset.UTC));
				continue;
			}
			Instant instant = CeleryDates.parse(text, ZoneOffset.UTC);
			long micros = ChronoUnit.MICROS.between(Instant.EPOCH, instant);
			assertThat(micros).as(text).isEqualTo(((Number) answer.get("epoch_micros")).longValue());
		}
	}

	@Test
	void rejectsWhatCeleryRejects() {
		List<String> texts = List.of("tomorrow", "", "2030", "2030-01", "2030-13-01T00:00:00Z", "2030-02-30",
				"2030-01-02T24:00:00Z", "0000-01-01");
		List<?> expected = (List<?>) askPython("parse", texts);
		assertThat(expected).allSatisfy((answer) -> assertThat(map(answer)).containsKey("error"));
		texts.forEach((text) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> CeleryDates.parse(text, ZoneOffset.UTC)));
	}

	private @Nullable Object askPython(String question, List<?> values) {
		String answer = this.python
			.run(PythonCelery.resource("interop/python_views.py"), List.of(), Json.write(Map.of(question, values)),
					Duration.ofMinutes(2))
			.successfulOutput();
		List<?> answers = (List<?>) map(Json.read(answer)).get(question);
		assertThat(answers).hasSameSizeAs(values);
		return answers;
	}

}
