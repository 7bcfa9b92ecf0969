package io.celery4j.canvas;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A group whose results, in group order, are passed to a body task once every member has
 * finished, Celery's {@code chord}. The header members carry the body in
 * {@code embed.chord}; the worker (Java or Python) that finishes the last member sends
 * the body, counted with Celery's keys in the result backend (PROTOCOL.md 4.4). Send it
 * with {@code CanvasClient.apply}, which returns the body's result.
 *
 * <pre class="code">
 * Chord chord = Chord.of(List.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)),
 *         Signature.of("tasks.xsum"));
 * AsyncResult total = canvas.apply(chord);   // xsum([2, 4])
 * </pre>
 */
public final class Chord {

	static final String TASK = "celery.chord";

	private final List<Signature> header;

	private final Signature body;

	private final Map<String, @Nullable Object> options;

	private Chord(List<Signature> header, Signature body, Map<String, @Nullable Object> options) {
		Assert.notNull(header, "'header' must not be null");
		Assert.noNullElements(header, "'header' must not contain null");
		Assert.notNull(body, "'body' must not be null");
		this.header = List.copyOf(header);
		this.body = body;
		this.options = Collections.unmodifiableMap(JsonValues.map(options));
	}

	/**
	 * Return a chord.
	 * @param header the tasks that run in parallel
	 * @param body the task called with the list of their results
	 * @return the chord
	 */
	public static Chord of(List<Signature> header, Signature body) {
		return new Chord(header, body, Map.of());
	}

	/**
	 * Return a chord of a group.
	 * @param header the group that runs first
	 * @param body the task called with the list of its results
	 * @return the chord
	 */
	public static Chord of(Group header, Signature body) {
		Assert.notNull(header, "'header' must not be null");
		return new Chord(header.tasks(), body, header.options());
	}

	/**
	 * Return the chord a signature stands for, for example one read from a message.
	 * @param signature a signature with {@code subtask_type} {@code chord}
	 * @return the chord
	 * @throws IllegalArgumentException if the signature is not a chord or has no body
	 */
	public static Chord from(Signature signature) {
		Assert.notNull(signature, "'signature' must not be null");
		if (!Signature.CHORD.equals(signature.subtaskType())) {
			throw new IllegalArgumentException(
					"Signature " + signature.task() + " is not a chord (subtask_type " + signature.subtaskType() + ")");
		}
		Object header = signature.kwargs().get("header");
		List<Signature> members = (header instanceof Map<?, ?>)
				? Group.from(SignatureJson.read(header, "kwargs.header")).tasks()
				: SignatureJson.readAll(header, "kwargs.header");
		if (signature.kwargs().get("body") == null) {
			throw new IllegalArgumentException("Chord signature has no body (kwargs.body is null)");
		}
		return new Chord(members, SignatureJson.read(signature.kwargs().get("body"), "kwargs.body"),
				signature.options());
	}

	/**
	 * Return the header tasks.
	 * @return the signatures in group order
	 */
	public List<Signature> header() {
		return this.header;
	}

	/**
	 * Return the body.
	 * @return the signature called with the header's results
	 */
	public Signature body() {
		return this.body;
	}

	/**
	 * Return the options of the chord itself (a {@code task_id} becomes the header's
	 * group id).
	 * @return the options
	 */
	public Map<String, @Nullable Object> options() {
		return this.options;
	}

	/**
	 * Return a copy whose body calls a callback with its result, as Celery's
	 * {@code chord.link}.
	 * @param callback the callback
	 * @return the new chord
	 */
	public Chord link(Signature callback) {
		return new Chord(this.header, this.body.link(callback), this.options);
	}

	/**
	 * Return a copy whose body calls an errback when it fails, or when a header task
	 * fails (the body then fails with {@code ChordError}), as Celery's
	 * {@code chord.link_error}.
	 * @param errback the errback
	 * @return the new chord
	 */
	public Chord linkError(Signature errback) {
		return new Chord(this.header, this.body.linkError(errback), this.options);
	}

	/**
	 * Return the JSON-ready signature of this chord, Celery's {@code dict(chord)}.
	 * @return a signature of {@code celery.chord} with {@code kwargs.header} and
	 * {@code kwargs.body}
	 */
	public Signature toSignature() {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("kwargs", Map.of());
		kwargs.put("header", this.header);
		kwargs.put("body", this.body);
		return new Signature(TASK, List.of(), kwargs, this.options, Signature.CHORD, false, null);
	}

	@Override
	public String toString() {
		return "chord(" + this.header + ", " + this.body + ")";
	}

}
