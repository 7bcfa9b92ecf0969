package io.celery4j.protocol;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.PythonRepr.Tuple;
import org.jspecify.annotations.Nullable;

/**
 * A port of Celery's {@code celery.utils.saferepr}: a stream of tokens (literals, keys,
 * strings, other values) written until the limit is used up, then {@code ', ...'} and the
 * closing brackets still open. Its quirks are kept on purpose so {@code argsrepr} matches
 * what a Python producer writes for the same arguments.
 */
final class SafeRepr {

	/** Containers nested deeper are shown as {@code [...]}, Celery's maxlevels. */
	private static final int MAX_LEVELS = 3;

	private static final Literal DICT_START = new Literal("{", false, 1);

	private static final Literal DICT_KEY_SEPARATOR = new Literal(": ", true, 0);

	private static final Literal DICT_END = new Literal("}", false, -1);

	private static final Literal LIST_START = new Literal("[", false, 1);

	private static final Literal LIST_END = new Literal("]", false, -1);

	private static final Literal SEPARATOR = new Literal(", ", true, 0);

	private static final Literal TUPLE_START = new Literal("(", false, 1);

	private static final Literal TUPLE_END = new Literal(")", false, -1);

	private static final Literal TUPLE_END_SINGLE = new Literal(",)", false, -1);

	/**
	 * Iterators of the containers being written, innermost first. Celery nests them into
	 * one chained iterator ({@code chain([start], items, [end], rest)}); a stack gives
	 * the same order without the nesting, whose cost grows with every sibling.
	 */
	private final Deque<Iterator<?>> frames = new ArrayDeque<>();

	private final StringBuilder out = new StringBuilder();

	private final @Nullable Integer maxLength;

	private int remaining;

	private int level;

	private SafeRepr(@Nullable Integer maxLength) {
		this.maxLength = maxLength;
		this.remaining = (maxLength != null) ? maxLength : Integer.MAX_VALUE;
	}

	static String write(@Nullable Object value, @Nullable Integer maxLength) {
		SafeRepr repr = new SafeRepr(maxLength);
		repr.frames.push(Collections.singletonList(value).iterator());
		repr.run();
		return repr.out.toString();
	}

	private void run() {
		while (!this.frames.isEmpty()) {
			Iterator<?> frame = this.frames.peek();
			if (!frame.hasNext()) {
				this.frames.pop();
				continue;
			}
			Object token = token(frame.next());
			if (token == Expanded.INSTANCE) {
				continue;
			}
			if (this.maxLength != null && this.remaining <= 0) {
				// As Celery: the token at hand is dropped, then the brackets still open
				// are closed.
				this.out.append(", ...");
				closeBrackets();
				return;
			}
			String text = render(token);
			this.out.append(text);
			this.remaining -= text.codePointCount(0, text.length());
		}
	}

	/**
	 * Return the token for the next element of the stream, or {@link Expanded} when a
	 * container was pushed as a new frame instead (Celery's {@code reprstream}).
	 */
	private Object token(@Nullable Object value) {
		if (value instanceof Literal literal) {
			this.level += literal.direction();
			return literal;
		}
		if (value instanceof Key) {
			return value;
		}
		if (value instanceof CharSequence text) {
			return new Quoted(text.toString());
		}
		Literal start;
		Literal end;
		Iterator<?> elements;
		if (value instanceof Tuple tuple) {
			start = TUPLE_START;
			end = (tuple.items().size() == 1) ? TUPLE_END_SINGLE : TUPLE_END;
			elements = separated(tuple.items().iterator(), false);
		}
		else if (value instanceof Map<?, ?> map) {
			start = DICT_START;
			end = DICT_END;
			elements = separated(map.entrySet().iterator(), true);
		}
		else if (value instanceof Iterable<?> || value instanceof Object[]) {
			start = LIST_START;
			end = LIST_END;
			elements = separated(PythonRepr.items(value).iterator(), false);
		}
		else {
			return PythonRepr.scalar(value);
		}
		if (this.level >= MAX_LEVELS) {
			return start.value() + "..." + end.value();
		}
		this.frames.push(new Chain(List.of(List.of(start).iterator(), elements, List.of(end).iterator())));
		return Expanded.INSTANCE;
	}

	private String render(Object token) {
		if (token instanceof Literal literal) {
			return literal.value();
		}
		if (token instanceof Key key) {
			return write(key.value(), (this.maxLength != null) ? this.remaining : null);
		}
		if (token instanceof Quoted quoted) {
			return "'" + truncate(quoted.value()).replace("'", "\\'") + "'";
		}
		return truncate((String) token);
	}

	/**
	 * Celery's {@code truncate(text, maxlen)}: at the limit or beyond, cut at the limit,
	 * drop the last partial word and add {@code ...}. Lengths count code points, as
	 * Python's {@code len} does.
	 */
	private String truncate(String text) {
		if (this.maxLength == null || text.codePointCount(0, text.length()) < this.remaining) {
			return text;
		}
		String cut = text.substring(0, text.offsetByCodePoints(0, this.remaining));
		int space = cut.lastIndexOf(' ');
		return ((space >= 0) ? cut.substring(0, space) : cut) + "...";
	}

	private void closeBrackets() {
		for (Iterator<?> frame : this.frames) {
			frame.forEachRemaining((element) -> {
				if (element instanceof Literal literal && !literal.truncate()) {
					this.out.append(literal.value());
				}
			});
		}
	}

	private static Iterator<?> separated(Iterator<?> items, boolean entries) {
		return new Iterator<Object>() {

			private final Deque<Object> pending = new ArrayDeque<>();

			@Override
			public boolean hasNext() {
				return !this.pending.isEmpty() || items.hasNext();
			}

			@Override
			public @Nullable Object next() {
				if (this.pending.isEmpty()) {
					Object item = items.next();
					if (entries) {
						Map.Entry<?, ?> entry = (Map.Entry<?, ?>) item;
						this.pending.add(new Key(entry.getKey()));
						this.pending.add(DICT_KEY_SEPARATOR);
						this.pending.add(new Holder(entry.getValue()));
					}
					else {
						this.pending.add(new Holder(item));
					}
					if (items.hasNext()) {
						this.pending.add(SEPARATOR);
					}
				}
				Object next = this.pending.removeFirst();
				return (next instanceof Holder holder) ? holder.value() : next;
			}

		};
	}

	/**
	 * Keeps a {@code null} element in a deque, which refuses nulls.
	 */
	private record Holder(@Nullable Object value) {

	}

	/**
	 * Fixed text of the stream: brackets and separators; {@code truncate} false for the
	 * brackets that are still written after the cut.
	 */
	private record Literal(String value, boolean truncate, int direction) {

	}

	/**
	 * A dict key, written with a saferepr of its own.
	 */
	private record Key(@Nullable Object value) {

	}

	/**
	 * A string value.
	 */
	private record Quoted(String value) {

	}

	/**
	 * Marker: the element was a container, now the innermost frame.
	 */
	private enum Expanded {

		INSTANCE

	}

	/**
	 * Iterators one after the other, like Python's {@code itertools.chain}.
	 */
	private static final class Chain implements Iterator<Object> {

		private final Iterator<Iterator<?>> parts;

		private Iterator<?> current = Collections.emptyIterator();

		Chain(List<Iterator<?>> parts) {
			this.parts = parts.iterator();
		}

		@Override
		public boolean hasNext() {
			while (!this.current.hasNext() && this.parts.hasNext()) {
				this.current = this.parts.next();
			}
			return this.current.hasNext();
		}

		@Override
		public @Nullable Object next() {
			hasNext();
			return this.current.next();
		}

	}

}
