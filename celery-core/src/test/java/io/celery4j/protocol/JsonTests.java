package io.celery4j.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Json}.
 */
class JsonTests {

	@Test
	void stringsAreEscapedAsPythonJsonDumpsDoes() {
		StringBuilder out = new StringBuilder();
		Json.appendPythonString(out, "tab\there \"q\" caf\u00e9 \ud83d\ude00 \u007f ~ \\ \u0001\b\f\r\n");
		assertThat(out)
			.hasToString("\"tab\\there \\\"q\\\" caf\\u00e9 \\ud83d\\ude00 \\u007f ~ \\\\ \\u0001\\b\\f\\r\\n\"");
	}

}
