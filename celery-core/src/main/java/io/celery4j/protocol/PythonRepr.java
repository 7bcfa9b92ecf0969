package io.celery4j.protocol;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Writes plain JSON values the way Python's {@code repr} shows them, for the
 * {@code argsrepr}/{@code kwargsrepr} headers, event fields and logs: {@code (2, 3)},
 * {@code ('Ada',)}, {@code {'greeting': 'Hi'}}, {@code None}, {@code True}.
 */
public final class PythonRepr {

	/** Longest repr Celery puts into {@code argsrepr} and {@code kwargsrepr}. */
	public static final int MAX_LENGTH = 1024;

	private PythonRepr() {
	}

	/**
	 * Return the repr of positional arguments as a Python tuple, cut at
	 * {@link #MAX_LENGTH}.
	 * @param args the arguments
	 * @return for example {@code (2, 3)} or {@code ('Ada',)}
	 */
	public static String args(List<@Nullable Object> args) {
		StringBuilder out = new StringBuilder("(");
		for (int i = 0; i < args.size(); i++) {
			if (i > 0) {
				out.append(", ");
			}
			append(out, args.get(i));
		}
		if (args.size() == 1) {
			out.append(',');
		}
		return cut(out.append(')').toString());
	}

	/**
	 * Return the repr of keyword arguments as a Python dict, cut at {@link #MAX_LENGTH}.
	 * @param kwargs the arguments
	 * @return for example {@code {'greeting': 'Hi'}}
	 */
	public static String kwargs(Map<String, @Nullable Object> kwargs) {
		StringBuilder out = new StringBuilder();
		append(out, kwargs);
		return cut(out.toString());
	}

	/**
	 * Return the repr of one value.
	 * @param value a plain JSON value
	 * @return its Python repr
	 */
	public static String value(@Nullable Object value) {
		StringBuilder out = new StringBuilder();
		append(out, value);
		return out.toString();
	}

	private static String cut(String repr) {
		return (repr.length() <= MAX_LENGTH) ? repr : repr.substring(0, MAX_LENGTH - 3) + "...";
	}

	private static void append(StringBuilder out, @Nullable Object value) {
		if (value == null) {
			out.append("None");
		}
		else if (value instanceof Boolean bool) {
			out.append(bool ? "True" : "False");
		}
		else if (value instanceof Double || value instanceof Float) {
			out.append(floatRepr(((Number) value).doubleValue()));
		}
		else if (value instanceof BigDecimal decimal) {
			out.append(floatRepr(decimal.doubleValue()));
		}
		else if (value instanceof Number) {
			out.append(value);
		}
		else if (value instanceof CharSequence text) {
			string(out, text.toString());
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
			while (entries.hasNext()) {
				Map.Entry<?, ?> entry = entries.next();
				append(out, entry.getKey());
				out.append(": ");
				append(out, entry.getValue());
				if (entries.hasNext()) {
					out.append(", ");
				}
			}
			out.append('}');
		}
		else if (value instanceof Iterable<?> list) {
			out.append('[');
			Iterator<?> items = list.iterator();
			while (items.hasNext()) {
				append(out, items.next());
				if (items.hasNext()) {
					out.append(", ");
				}
			}
			out.append(']');
		}
		else {
			string(out, value.toString());
		}
	}

	/**
	 * Python's float repr: shortest digits, positional from 1e-4 up to 1e16, scientific
	 * ({@code 1e+16}, {@code 1e-05}) outside.
	 */
	static String floatRepr(double value) {
		if (Double.isNaN(value)) {
			return "nan";
		}
		if (Double.isInfinite(value)) {
			return (value > 0) ? "inf" : "-inf";
		}
		if (value == 0) {
			return (1 / value < 0) ? "-0.0" : "0.0";
		}
		BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
		int exponent = decimal.precision() - decimal.scale() - 1;
		if (exponent >= -5 + 1 && exponent < 16) {
			String plain = decimal.toPlainString();
			return plain.contains(".") ? plain : plain + ".0";
		}
		String digits = decimal.unscaledValue().abs().toString();
		StringBuilder out = new StringBuilder((value < 0) ? "-" : "");
		out.append(digits.charAt(0));
		if (digits.length() > 1) {
			out.append('.').append(digits, 1, digits.length());
		}
		out.append('e').append((exponent < 0) ? '-' : '+');
		int magnitude = Math.abs(exponent);
		out.append((magnitude < 10) ? "0" + magnitude : String.valueOf(magnitude));
		return out.toString();
	}

	private static void string(StringBuilder out, String text) {
		char quote = (text.indexOf('\'') >= 0 && text.indexOf('"') < 0) ? '"' : '\'';
		out.append(quote);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c == quote) {
						out.append('\\').append(c);
					}
					else if (c < 0x20 || c == 0x7f) {
						out.append(String.format("\\x%02x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append(quote);
	}

}
