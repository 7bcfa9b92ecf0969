package io.celery4j.backend;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PythonJsonTests {

	@Test
	void writesFloatsAsPythonsReprDoes() {
		// Expected values printed by Python 3: json.dumps(value) for each.
		assertThat(PythonJson.pythonFloat(1.5)).isEqualTo("1.5");
		assertThat(PythonJson.pythonFloat(3.0)).isEqualTo("3.0");
		assertThat(PythonJson.pythonFloat(100.0)).isEqualTo("100.0");
		assertThat(PythonJson.pythonFloat(12345.678)).isEqualTo("12345.678");
		assertThat(PythonJson.pythonFloat(1e16)).isEqualTo("1e+16");
		assertThat(PythonJson.pythonFloat(1e15)).isEqualTo("1000000000000000.0");
		assertThat(PythonJson.pythonFloat(1e-5)).isEqualTo("1e-05");
		assertThat(PythonJson.pythonFloat(0.0001)).isEqualTo("0.0001");
		assertThat(PythonJson.pythonFloat(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
		assertThat(PythonJson.pythonFloat(-0.0)).isEqualTo("-0.0");
		assertThat(PythonJson.pythonFloat(0.1 + 0.2)).isEqualTo("0.30000000000000004");
		assertThat(PythonJson.pythonFloat(2.5e-300)).isEqualTo("2.5e-300");
		assertThat(PythonJson.pythonFloat(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
		assertThat(PythonJson.pythonFloat(Double.MIN_VALUE)).isEqualTo("5e-324");
		assertThat(PythonJson.pythonFloat(1e22)).isEqualTo("1e+22");
		assertThat(PythonJson.pythonFloat(-2.75)).isEqualTo("-2.75");
		assertThat(PythonJson.pythonFloat(Double.NaN)).isEqualTo("NaN");
		assertThat(PythonJson.pythonFloat(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
		assertThat(PythonJson.pythonFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
	}

	@Test
	void escapesEverythingOutsidePrintableAsciiInLowercase() {
		assertThat(PythonJson.write("\u007f\u0000\u001f\u2028 é😀\"\\/\t\n\r\b\f"))
			.isEqualTo("\"\\u007f\\u0000\\u001f\\u2028 \\u00e9\\ud83d\\ude00\\\"\\\\/\\t\\n\\r\\b\\f\"");
	}

	@Test
	void separatesWithPythonsDefaultSeparators() {
		Map<Object, Object> map = new LinkedHashMap<>();
		map.put("a", Arrays.asList(1, 2.5, null, true));
		map.put(1, Map.of("x", 1L));
		map.put("empty", List.of());
		map.put("none", Map.of());
		assertThat(PythonJson.write(map))
			.isEqualTo("{\"a\": [1, 2.5, null, true], \"1\": {\"x\": 1}, \"empty\": [], \"none\": {}}");
	}

	@Test
	void writesOtherObjectsThroughTheSharedMapper() {
		record Point(int x, String label) {
		}
		assertThat(PythonJson.write(new Point(3, "p"))).isEqualTo("{\"x\": 3, \"label\": \"p\"}");
	}

}
