package io.celery4j.protocol;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PythonRepr}. Expected texts are what CPython 3.11 {@code repr} and
 * Celery 5.2.6 {@code saferepr(value, 1024)} print for the same values;
 * {@code PythonReprInteropTests} compares with them live.
 */
class PythonReprTests {

	@Test
	void writesArgumentsAsATuple() {
		assertThat(PythonRepr.args(List.of(2, 3))).isEqualTo("(2, 3)");
		assertThat(PythonRepr.args(List.of())).isEqualTo("()");
	}

	@Test
	void writesOneArgumentAsATupleWithTrailingComma() {
		assertThat(PythonRepr.args(List.of("Ada"))).isEqualTo("('Ada',)");
		assertThat(PythonRepr.args(List.of(List.of(0, 2, 4)))).isEqualTo("([0, 2, 4],)");
	}

	@Test
	void writesKeywordArgumentsAsADictInOrder() {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("greeting", "Hi");
		kwargs.put("n", null);
		kwargs.put("flags", List.of(true, false));
		assertThat(PythonRepr.kwargs(kwargs)).isEqualTo("{'greeting': 'Hi', 'n': None, 'flags': [True, False]}");
		assertThat(PythonRepr.kwargs(Map.of())).isEqualTo("{}");
	}

	@Test
	void writesNoneTrueAndFalse() {
		assertThat(PythonRepr.args(Arrays.asList(null, true, false))).isEqualTo("(None, True, False)");
		assertThat(PythonRepr.value(null)).isEqualTo("None");
		assertThat(PythonRepr.value(true)).isEqualTo("True");
	}

	@ParameterizedTest
	@CsvSource({ "1.5, 1.5", "3.0, 3.0", "1e16, 1e+16", "1.5e16, 1.5e+16", "1e15, 1000000000000000.0", "1e-05, 1e-05",
			"0.0001, 0.0001", "0.0, 0.0", "-0.0, -0.0", "123456789.0, 123456789.0",
			"0.30000000000000004, 0.30000000000000004", "1e22, 1e+22", "5e-324, 5e-324",
			"1.7976931348623157e308, 1.7976931348623157e+308", "12345678901234567.0, 1.2345678901234568e+16",
			"2.82879384806159E17, 2.82879384806159e+17", "1.18575755E-316, 1.18575755e-316", "-2.5e-7, -2.5e-07" })
	void writesFloatsAsPythonDoes(double value, String repr) {
		assertThat(PythonRepr.value(value)).isEqualTo(repr);
	}

	@Test
	void writesNonFiniteFloatsAsPythonDoes() {
		assertThat(PythonRepr.args(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)))
			.isEqualTo("(nan, inf, -inf)");
	}

	@Test
	void writesFloatsByTheirShortDigits() {
		assertThat(PythonRepr.value(0.1f)).isEqualTo("0.1");
	}

	@Test
	void writesIntegersOfAnySize() {
		assertThat(PythonRepr.args(List.of(9007199254740992L, new BigInteger("123456789012345678901234567890"))))
			.isEqualTo("(9007199254740992, 123456789012345678901234567890)");
	}

	@Test
	void quotesStringsAsPythonReprDoes() {
		assertThat(PythonRepr.value("Ada")).isEqualTo("'Ada'");
		assertThat(PythonRepr.value("it's")).isEqualTo("\"it's\"");
		assertThat(PythonRepr.value("say \"hi\"")).isEqualTo("'say \"hi\"'");
		assertThat(PythonRepr.value("it's \"x\"")).isEqualTo("'it\\'s \"x\"'");
	}

	@Test
	void escapesBackslashAndControlCharactersAsPythonReprDoes() {
		assertThat(PythonRepr.value("a\\b")).isEqualTo("'a\\\\b'");
		assertThat(PythonRepr.value("a\nb\tc\rd")).isEqualTo("'a\\nb\\tc\\rd'");
		assertThat(PythonRepr.value("\u0000\u001b\u007f")).isEqualTo("'\\x00\\x1b\\x7f'");
	}

	@Test
	void keepsPrintableNonAsciiAndEscapesTheRest() {
		assertThat(PythonRepr.value("héllo wörld ✓ 日本 😀")).isEqualTo("'héllo wörld ✓ 日本 😀'");
		assertThat(PythonRepr.value("\u00a0\u200b\u0085")).isEqualTo("'\\xa0\\u200b\\x85'");
		assertThat(PythonRepr.value("\ud800")).isEqualTo("'\\ud800'");
		assertThat(PythonRepr.value("\udb40\udc01")).isEqualTo("'\\U000e0001'");
	}

	@Test
	void writesContainersAsPythonReprDoes() {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		map.put("a", List.of(1, 2.5));
		map.put("b", Collections.singletonMap("it's", null));
		assertThat(PythonRepr.value(map)).isEqualTo("{'a': [1, 2.5], 'b': {\"it's\": None}}");
		assertThat(PythonRepr.value(List.of(List.of(List.of(List.of(1)))))).isEqualTo("[[[[1]]]]");
	}

	@Test
	void argsreprQuotesStringsAsCeleryDoes() {
		// saferepr always uses single quotes and escapes only them, unlike repr.
		assertThat(PythonRepr.args(List.of("it's"))).isEqualTo("('it\\'s',)");
		assertThat(PythonRepr.args(List.of("say \"hi\""))).isEqualTo("('say \"hi\"',)");
		assertThat(PythonRepr.args(List.of("a\nb\\c"))).isEqualTo("('a\nb\\c',)");
		assertThat(PythonRepr.args(List.of("héllo wörld ✓ 日本 😀"))).isEqualTo("('héllo wörld ✓ 日本 😀',)");
	}

	@Test
	void argsreprShowsContainersBelowThreeLevelsAsEllipsis() {
		assertThat(PythonRepr.args(List.of(List.of(List.of(List.of(1)))))).isEqualTo("([[[...]]],)");
		assertThat(PythonRepr.args(List.of(List.of(List.of(1, 2), List.of(3, List.of(4, List.of(5)))))))
			.isEqualTo("([[1, 2], [3, [...]]],)");
		assertThat(PythonRepr.args(List.of(Map.of("a", Map.of("b", Map.of("c", 1))))))
			.isEqualTo("({'a': {'b': {...}}},)");
		assertThat(PythonRepr.saferepr(List.of("a", List.of("b", List.of("c", List.of("d")))), PythonRepr.MAX_LENGTH))
			.isEqualTo("['a', ['b', ['c', [...]]]]");
	}

	@Test
	void argsreprCutsALongStringAt1024Characters() {
		String repr = PythonRepr.args(List.of("x".repeat(2000)));
		// Celery drops the tuple end here: the limit is hit at that token.
		assertThat(repr).isEqualTo("('" + "x".repeat(1023) + "...', ...");
		assertThat(repr).hasSize(1034);
	}

	@Test
	void argsreprCutsAtAWordBoundary() {
		String repr = PythonRepr.args(List.of("word ".repeat(300)));
		assertThat(repr).hasSize(1030).startsWith("('word word ").endsWith(" word word...', ...");
	}

	@Test
	void argsreprCutsManyArgumentsAndClosesTheTuple() {
		String repr = PythonRepr.args(IntStream.range(0, 500).boxed().map(Object.class::cast).toList());
		assertThat(repr).hasSize(1033).startsWith("(0, 1, 2, 3, ").endsWith(", 225, 226..., ...)");
	}

	@Test
	void argsreprCutsANestedListAndClosesItsBrackets() {
		String repr = PythonRepr.args(List.of(Collections.nCopies(600, 1)));
		assertThat(repr).hasSize(1033).startsWith("([1, 1, ").endsWith(", 1, 1, , ...],)");
	}

	@Test
	void argsreprCountsCharactersNotUtf16Units() {
		String repr = PythonRepr.args(List.of("😀".repeat(1100)));
		assertThat(repr.codePointCount(0, repr.length())).isEqualTo(1034);
		assertThat(repr).endsWith("😀😀...', ...");
	}

	@Test
	void kwargsreprCutsALongKey() {
		String repr = PythonRepr.args(List.of(Map.of("k".repeat(1030), 1)));
		assertThat(repr).isEqualTo("({'" + "k".repeat(1022) + "...', ...},)");
	}

	@Test
	void safereprCutsAtAnyLimit() {
		assertThat(PythonRepr.saferepr("abcdef", 4)).isEqualTo("'abcd...'");
		assertThat(PythonRepr.saferepr(List.of(1, 2, 3), 100)).isEqualTo("[1, 2, 3]");
	}

}
