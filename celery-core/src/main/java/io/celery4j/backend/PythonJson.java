package io.celery4j.backend;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;

/**
 * Writes plain JSON values byte for byte as Python's {@code json.dumps} does with default
 * settings, the way Celery writes result records: separators {@code ", "} and
 * {@code ": "}, everything outside printable ASCII escaped as lowercase
 * {@code \}{@code u} escapes (astral characters as surrogate pairs), floats in Python's
 * {@code repr} form ({@code 3.0}, {@code 1e+16}, {@code NaN}). Any valid JSON would do
 * for readers; the exact form keeps stored records comparable with Celery's own.
 */
final class PythonJson {

	private PythonJson() {
	}

	static String write(@Nullable Object value) {
		StringBuilder out = new StringBuilder(128);
		append(out, value);
		return out.toString();
	}

	static void append(StringBuilder out, @Nullable Object value) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof CharSequence text) {
			Json.appendPythonString(out, text);
		}
		else if (value instanceof Boolean bool) {
			out.append(bool ? "true" : "false");
		}
		else if (value instanceof Double || value instanceof Float) {
			out.append(pythonFloat(((Number) value).doubleValue()));
		}
		else if (value instanceof BigDecimal decimal) {
			out.append(decimal);
		}
		else if (value instanceof Number number) {
			out.append(number);
		}
		else if (value instanceof Map<?, ?> map) {
			appendObject(out, map);
		}
		else if (value instanceof Collection<?> collection) {
			appendArray(out, collection.iterator());
		}
		else if (value instanceof Object[] array) {
			appendArray(out, java.util.Arrays.asList(array).iterator());
		}
		else {
			append(out, Json.toValue(value));
		}
	}

	private static void appendObject(StringBuilder out, Map<?, ?> map) {
		out.append('{');
		boolean first = true;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!first) {
				out.append(", ");
			}
			first = false;
			Json.appendPythonString(out, String.valueOf(entry.getKey()));
			out.append(": ");
			append(out, entry.getValue());
		}
		out.append('}');
	}

	private static void appendArray(StringBuilder out, Iterator<?> elements) {
		out.append('[');
		boolean first = true;
		while (elements.hasNext()) {
			if (!first) {
				out.append(", ");
			}
			first = false;
			append(out, elements.next());
		}
		out.append(']');
	}

	/**
	 * Format a double as Python's {@code repr(float)}: the shortest digits that read back
	 * as the same value, positional between 1e-4 and 1e16, scientific otherwise.
	 * @param value the value
	 * @return for example {@code 1.5}, {@code 3.0}, {@code 1e+16}, {@code 5e-324}
	 */
	static String pythonFloat(double value) {
		if (Double.isNaN(value)) {
			return "NaN";
		}
		if (Double.isInfinite(value)) {
			return (value > 0) ? "Infinity" : "-Infinity";
		}
		if (value == 0) {
			return (1 / value < 0) ? "-0.0" : "0.0";
		}
		BigDecimal shortest = shortest(value);
		String digits = shortest.unscaledValue().abs().toString();
		// value = 0.<digits> x 10^point
		int point = digits.length() - shortest.scale();
		StringBuilder out = new StringBuilder((value < 0) ? "-" : "");
		if (point > -4 && point <= 16) {
			if (point <= 0) {
				out.append("0.").append("0".repeat(-point)).append(digits);
			}
			else if (point < digits.length()) {
				out.append(digits, 0, point).append('.').append(digits, point, digits.length());
			}
			else {
				out.append(digits).append("0".repeat(point - digits.length())).append(".0");
			}
		}
		else {
			out.append(digits.charAt(0));
			if (digits.length() > 1) {
				out.append('.').append(digits, 1, digits.length());
			}
			int exponent = point - 1;
			out.append('e').append((exponent < 0) ? '-' : '+');
			String magnitude = Integer.toString(Math.abs(exponent));
			out.append((magnitude.length() < 2) ? "0" : "").append(magnitude);
		}
		return out.toString();
	}

	private static BigDecimal shortest(double value) {
		BigDecimal exact = new BigDecimal(value);
		for (int precision = 1; precision < 17; precision++) {
			BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
			if (candidate.doubleValue() == value) {
				return candidate.stripTrailingZeros();
			}
		}
		return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
	}

}
