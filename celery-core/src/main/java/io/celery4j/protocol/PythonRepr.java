package io.celery4j.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Writes plain JSON values ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}) as Python shows them.
 * <ul>
 * <li>{@link #args} and {@link #kwargs} produce the {@code argsrepr} and
 * {@code kwargsrepr} headers exactly as Celery's producer does, with
 * {@code celery.utils.saferepr.saferepr(args, 1024)}: {@code (2, 3)}, {@code ('Ada',)},
 * {@code {'greeting': 'Hi'}}. Saferepr differs from {@code repr}: strings are always in
 * single quotes with only {@code '} escaped, containers deeper than three levels show as
 * {@code [...]}, and a long value is cut with {@code ...} but keeps its closing
 * brackets.</li>
 * <li>{@link #saferepr} is the same with any limit, the form of Celery's event and log
 * fields ({@code task-succeeded}'s {@code result}).</li>
 * <li>{@link #value} is Python's {@code repr}: {@code 'it\'s'} is written {@code "it's"},
 * control and other non-printable characters are escaped, other non-ASCII text is kept;
 * for exception reprs and error messages.</li>
 * </ul>
 * Floats are written as Python writes them: the shortest digits that read back as the
 * same double, positional from {@code 0.0001} to below {@code 1e+16}, otherwise
 * scientific ({@code 1e+16}, {@code 1e-05}).
 */
public final class PythonRepr {

	/** Longest repr Celery puts into {@code argsrepr} and {@code kwargsrepr}. */
	public static final int MAX_LENGTH = 1024;

	private PythonRepr() {
	}

	/**
	 * Return the {@code argsrepr} of positional arguments: the saferepr of a Python
	 * tuple, cut at {@link #MAX_LENGTH}.
	 * @param args the arguments
	 * @return for example {@code (2, 3)} or {@code ('Ada',)}
	 */
	public static String args(List<? extends @Nullable Object> args) {
		return saferepr(new Tuple(args), MAX_LENGTH);
	}

	/**
	 * Return the {@code kwargsrepr} of keyword arguments: the saferepr of a Python dict,
	 * cut at {@link #MAX_LENGTH}.
	 * @param kwargs the arguments
	 * @return for example {@code {'greeting': 'Hi'}}
	 */
	public static String kwargs(Map<String, ? extends @Nullable Object> kwargs) {
		return saferepr(kwargs, MAX_LENGTH);
	}

	/**
	 * Return Celery's saferepr of a value ({@code celery.utils.saferepr.saferepr}).
	 * @param value a plain JSON value
	 * @param maxLength the limit Celery is given ({@code resultrepr_maxsize} is
	 * {@value #MAX_LENGTH}); the text can exceed it by the cut marker and closing
	 * brackets
	 * @return the text
	 */
	public static String saferepr(@Nullable Object value, int maxLength) {
		return SafeRepr.write(value, maxLength);
	}

	/**
	 * Return Python's {@code repr} of one value.
	 * @param value a plain JSON value
	 * @return its Python repr, for example {@code 'boom'}, {@code None} or
	 * {@code [1, 2.5]}
	 */
	public static String value(@Nullable Object value) {
		StringBuilder out = new StringBuilder();
		repr(out, value);
		return out.toString();
	}

	private static void repr(StringBuilder out, @Nullable Object value) {
		if (value instanceof CharSequence text) {
			string(out, text.toString());
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
			while (entries.hasNext()) {
				Map.Entry<?, ?> entry = entries.next();
				repr(out, entry.getKey());
				out.append(": ");
				repr(out, entry.getValue());
				out.append(entries.hasNext() ? ", " : "");
			}
			out.append('}');
		}
		else if (value instanceof Tuple tuple) {
			sequence(out, tuple.items(), "(", (tuple.items().size() == 1) ? ",)" : ")");
		}
		else if (value instanceof Iterable<?> || value instanceof Object[]) {
			sequence(out, items(value), "[", "]");
		}
		else {
			out.append(scalar(value));
		}
	}

	private static void sequence(StringBuilder out, Iterable<?> items, String start, String end) {
		out.append(start);
		Iterator<?> iterator = items.iterator();
		while (iterator.hasNext()) {
			repr(out, iterator.next());
			out.append(iterator.hasNext() ? ", " : "");
		}
		out.append(end);
	}

	static Iterable<?> items(Object value) {
		return (value instanceof Object[] array) ? Arrays.asList(array) : (Iterable<?>) value;
	}

	/**
	 * Python's {@code str} of a value that is not a string or container: {@code None},
	 * {@code True}, numbers. Anything else is shown as the repr of its text.
	 */
	static String scalar(@Nullable Object value) {
		if (value == null) {
			return "None";
		}
		if (value instanceof Boolean bool) {
			return bool ? "True" : "False";
		}
		if (value instanceof Float number) {
			return floatRepr(Double.parseDouble(number.toString()));
		}
		if (value instanceof Double || value instanceof BigDecimal) {
			return floatRepr(((Number) value).doubleValue());
		}
		if (value instanceof Number) {
			return value.toString();
		}
		StringBuilder out = new StringBuilder();
		string(out, value.toString());
		return out.toString();
	}

	/**
	 * Python's float repr: the shortest digits that read back as the same double (the
	 * nearest such when several have as few digits), positional when the decimal exponent
	 * is from -4 to 15, scientific with at least two exponent digits otherwise.
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
		BigDecimal decimal = shortest(value).stripTrailingZeros();
		String digits = decimal.unscaledValue().abs().toString();
		int exponent = digits.length() - decimal.scale() - 1;
		StringBuilder out = new StringBuilder((value < 0) ? "-" : "");
		if (exponent < -4 || exponent >= 16) {
			out.append(digits.charAt(0));
			if (digits.length() > 1) {
				out.append('.').append(digits, 1, digits.length());
			}
			int magnitude = Math.abs(exponent);
			out.append('e').append((exponent < 0) ? '-' : '+').append((magnitude < 10) ? "0" : "").append(magnitude);
		}
		else if (exponent < 0) {
			out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
		}
		else if (digits.length() <= exponent + 1) {
			out.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
		}
		else {
			out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
		}
		return out.toString();
	}

	private static BigDecimal shortest(double value) {
		// Double.toString always reads back but is not always the shortest before
		// Java 19 (JDK-4511638): search the fewest digits up to its count. When some
		// decimal of p digits reads back, one of p + 1 digits does too, so halve.
		BigDecimal exact = new BigDecimal(value);
		int low = 1;
		int high = new BigDecimal(Double.toString(value)).stripTrailingZeros().precision();
		BigDecimal best = roundTrip(exact, high, value);
		while (low < high) {
			int middle = (low + high) >>> 1;
			BigDecimal candidate = roundTrip(exact, middle, value);
			if (candidate != null) {
				best = candidate;
				high = middle;
			}
			else {
				low = middle + 1;
			}
		}
		return (best != null) ? best : exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
	}

	/**
	 * Return the decimal of the given digits that reads back as the value: the nearest,
	 * else its neighbour on the other side, which can read back where the gap between
	 * doubles changes (powers of two); {@code null} if neither does.
	 */
	private static @Nullable BigDecimal roundTrip(BigDecimal exact, int precision, double value) {
		BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
		if (Double.parseDouble(nearest.toString()) == value) {
			return nearest;
		}
		RoundingMode other = (nearest.compareTo(exact) > 0) ? RoundingMode.FLOOR : RoundingMode.CEILING;
		BigDecimal neighbour = exact.round(new MathContext(precision, other));
		return (Double.parseDouble(neighbour.toString()) == value) ? neighbour : null;
	}

	/**
	 * Python's {@code repr} of a {@code str}: single quotes unless the text contains a
	 * single quote and no double quote; backslash, the quote, {@code \t \n \r} and
	 * non-printable characters escaped; printable non-ASCII kept.
	 */
	private static void string(StringBuilder out, String text) {
		char quote = (text.indexOf('\'') >= 0 && text.indexOf('"') < 0) ? '"' : '\'';
		out.append(quote);
		text.codePoints().forEach((codePoint) -> {
			if (codePoint == quote || codePoint == '\\') {
				out.append('\\').appendCodePoint(codePoint);
			}
			else if (codePoint == '\t') {
				out.append("\\t");
			}
			else if (codePoint == '\n') {
				out.append("\\n");
			}
			else if (codePoint == '\r') {
				out.append("\\r");
			}
			else if (isPrintable(codePoint)) {
				out.appendCodePoint(codePoint);
			}
			else if (codePoint <= 0xff) {
				out.append(String.format("\\x%02x", codePoint));
			}
			else if (codePoint <= 0xffff) {
				out.append(String.format("\\u%04x", codePoint));
			}
			else {
				out.append(String.format("\\U%08x", codePoint));
			}
		});
		out.append(quote);
	}

	/**
	 * Python's {@code str.isprintable} for one character: everything but the categories
	 * Other (Cc, Cf, Cs, Co, Cn) and Separator (Zl, Zp, Zs), except the ASCII space.
	 */
	private static boolean isPrintable(int codePoint) {
		if (codePoint == ' ') {
			return true;
		}
		return switch (Character.getType(codePoint)) {
			case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
					Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR ->
				false;
			default -> true;
		};
	}

	/**
	 * Positional arguments, which Python shows as a tuple.
	 *
	 * @param items the arguments
	 */
	record Tuple(List<? extends @Nullable Object> items) {

	}

}
