package io.celery4j.beat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Expands one field of a 5-field crontab the way Celery's {@code crontab_parser} does:
 * comma-separated parts, each {@code *}, a number, a name, a range {@code a-b} (which
 * wraps around when {@code b < a}, so {@code fri-mon} is Friday to Monday), optionally
 * followed by a step {@code /n} taken over the expanded list.
 * <p>
 * Stricter than Celery where Celery silently ignores text: a part must match completely,
 * and names are accepted only in the fields they belong to. Month names ({@code jan}) are
 * accepted as in Unix cron; Celery 5 accepts only numbers there.
 */
final class CrontabParser {

	private static final Pattern RANGE_STEPS = Pattern.compile("(\\w+?)-(\\w+)/(\\w+)?");

	private static final Pattern RANGE = Pattern.compile("(\\w+?)-(\\w+)");

	private static final Pattern STAR_STEPS = Pattern.compile("\\*/(\\w+)?");

	private static final Pattern NUMBER = Pattern.compile("\\d+");

	private static final List<String> DAY_NAMES = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

	private static final List<String> MONTH_NAMES = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
			"sep", "oct", "nov", "dec");

	private static final Map<String, String> FULL_NAMES = Map.ofEntries(Map.entry("sunday", "sun"),
			Map.entry("monday", "mon"), Map.entry("tuesday", "tue"), Map.entry("wednesday", "wed"),
			Map.entry("thursday", "thu"), Map.entry("friday", "fri"), Map.entry("saturday", "sat"),
			Map.entry("january", "jan"), Map.entry("february", "feb"), Map.entry("march", "mar"),
			Map.entry("april", "apr"), Map.entry("june", "jun"), Map.entry("july", "jul"), Map.entry("august", "aug"),
			Map.entry("september", "sep"), Map.entry("october", "oct"), Map.entry("november", "nov"),
			Map.entry("december", "dec"));

	private CrontabParser() {
	}

	/**
	 * Expand one field.
	 * @param field which field
	 * @param spec the field's text
	 * @return the values it matches, sorted
	 * @throws IllegalArgumentException naming the field and what it accepts
	 */
	static TreeSet<Integer> parse(Field field, String spec) {
		TreeSet<Integer> values = new TreeSet<>();
		for (String part : spec.split(",", -1)) {
			if (part.isEmpty()) {
				throw field.invalid(spec, "it has an empty part");
			}
			values.addAll(parsePart(field, spec, part));
		}
		return values;
	}

	private static List<Integer> parsePart(Field field, String spec, String part) {
		Matcher matcher = RANGE_STEPS.matcher(part);
		if (matcher.matches()) {
			return steps(field, spec, range(field, spec, matcher.group(1), matcher.group(2)), matcher.group(3));
		}
		matcher = RANGE.matcher(part);
		if (matcher.matches()) {
			return range(field, spec, matcher.group(1), matcher.group(2));
		}
		matcher = STAR_STEPS.matcher(part);
		if (matcher.matches()) {
			return steps(field, spec, star(field), matcher.group(1));
		}
		if (part.equals("*")) {
			return star(field);
		}
		return List.of(number(field, spec, part));
	}

	private static List<Integer> star(Field field) {
		List<Integer> values = new ArrayList<>();
		for (int value = field.min; value <= field.max; value++) {
			values.add(value);
		}
		return values;
	}

	private static List<Integer> range(Field field, String spec, String fromText, String toText) {
		int from = number(field, spec, fromText);
		int to = number(field, spec, toText);
		List<Integer> values = new ArrayList<>();
		if (to < from) {
			// Wraps around the end of the field, as Celery does: 22-2 is 22, 23, 0, 1, 2.
			for (int value = from; value <= field.max; value++) {
				values.add(value);
			}
			for (int value = field.min; value <= to; value++) {
				values.add(value);
			}
			return values;
		}
		for (int value = from; value <= to; value++) {
			values.add(value);
		}
		return values;
	}

	private static List<Integer> steps(Field field, String spec, List<Integer> expanded, @Nullable String stepText) {
		if (stepText == null || !NUMBER.matcher(stepText).matches()) {
			throw field.invalid(spec, "a step must be a positive number, as in */15");
		}
		int step = parseInt(stepText);
		if (step < 1) {
			throw field.invalid(spec, "a step must be a positive number, as in */15");
		}
		List<Integer> values = new ArrayList<>();
		for (int index = 0; index < expanded.size(); index += step) {
			values.add(expanded.get(index));
		}
		return values;
	}

	private static int number(Field field, String spec, String text) {
		int value;
		if (NUMBER.matcher(text).matches()) {
			value = parseInt(text);
		}
		else {
			value = name(field, spec, text);
		}
		if (value < field.min || value > field.max) {
			throw field.invalid(spec, "'" + text + "' is out of range");
		}
		return value;
	}

	private static int parseInt(String digits) {
		// Digits only; anything longer than an int is out of every range anyway.
		return (digits.length() > 9) ? Integer.MAX_VALUE : Integer.parseInt(digits);
	}

	private static int name(Field field, String spec, String text) {
		String lower = text.toLowerCase(Locale.ROOT);
		String shortName = FULL_NAMES.getOrDefault(lower, lower);
		int index = -1;
		if (field == Field.DAY_OF_WEEK) {
			index = DAY_NAMES.indexOf(shortName);
		}
		else if (field == Field.MONTH) {
			int month = MONTH_NAMES.indexOf(shortName);
			index = (month >= 0) ? month + 1 : -1;
		}
		if (index < 0) {
			throw field.invalid(spec, "'" + text + "' is not a number" + ((field.names != null) ? " or a name" : ""));
		}
		return index;
	}

	/**
	 * The five fields of a crontab, in the order they are written.
	 */
	enum Field {

		MINUTE("minute", 0, 59, null),

		HOUR("hour", 0, 23, null),

		DAY_OF_MONTH("day-of-month", 1, 31, null),

		MONTH("month", 1, 12, "jan-dec"),

		DAY_OF_WEEK("day-of-week", 0, 6, "0 is Sunday; names sun-sat");

		private final String label;

		private final int min;

		private final int max;

		private final @Nullable String names;

		Field(String label, int min, int max, @Nullable String names) {
			this.label = label;
			this.min = min;
			this.max = max;
			this.names = names;
		}

		int min() {
			return this.min;
		}

		int max() {
			return this.max;
		}

		private IllegalArgumentException invalid(String spec, String problem) {
			String accepted = this.min + "-" + this.max + ((this.names != null) ? " (" + this.names + ")" : "");
			return new IllegalArgumentException("Invalid " + this.label + " field '" + spec + "': " + problem
					+ "; expected *, numbers " + accepted + ", ranges a-b, steps /n and lists separated by commas");
		}

	}

}
