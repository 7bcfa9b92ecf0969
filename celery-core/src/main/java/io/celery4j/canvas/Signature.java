package io.celery4j.canvas;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonValue;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.PythonRepr;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A task call that can travel: task name, arguments, keyword arguments and
 * {@code apply_async} options, Celery's {@code celery.canvas.Signature}. Immutable: every
 * {@code with}, {@code clone}, {@code link} method returns a copy.
 * <p>
 * Its JSON form ({@link #toJson()}) is the dict Celery writes, keys in Celery's order
 * {@code task, args, kwargs, options, subtask_type, immutable} (and {@code chord_size}
 * only when set), so a signature built in Java rides in {@code embed.callbacks},
 * {@code embed.chain} or {@code embed.chord} of a message to a Python worker, and
 * {@link #fromJson(Map)} reads what Python sends, nested chains, groups and chords
 * included (PROTOCOL.md 1.3 and 1.5).
 *
 * <pre class="code">
 * Signature add = Signature.of("tasks.add", 2, 3);                 // add.s(2, 3)
 * Signature log = Signature.ofImmutable("tasks.log", "done");      // log.si('done')
 * Signature ten = Signature.of("tasks.add", 10).withQueue("math"); // add.s(10).set(queue='math')
 * Signature partial = ten.withArgsPrepended(List.of(5));           // tasks.add(5, 10)
 * </pre>
 */
public final class Signature {

	/** {@link #subtaskType()} of a chain ({@code celery.chain}). */
	public static final String CHAIN = "chain";

	/** {@link #subtaskType()} of a group ({@code celery.group}). */
	public static final String GROUP = "group";

	/** {@link #subtaskType()} of a chord ({@code celery.chord}). */
	public static final String CHORD = "chord";

	/** Options Celery never changes once set, so a frozen group member stays in it. */
	private static final String GROUP_ID = "group_id";

	private final String task;

	private final List<@Nullable Object> args;

	private final Map<String, @Nullable Object> kwargs;

	private final Map<String, @Nullable Object> options;

	private final @Nullable String subtaskType;

	private final boolean immutable;

	private final @Nullable Integer chordSize;

	Signature(String task, List<?> args, Map<String, ?> kwargs, Map<String, ?> options, @Nullable String subtaskType,
			boolean immutable, @Nullable Integer chordSize) {
		Assert.hasText(task, "'task' must not be empty");
		this.task = task;
		this.args = Collections.unmodifiableList(JsonValues.list(args));
		this.kwargs = Collections.unmodifiableMap(JsonValues.map(kwargs));
		this.options = Collections.unmodifiableMap(JsonValues.map(options));
		this.subtaskType = subtaskType;
		this.immutable = immutable;
		this.chordSize = chordSize;
	}

	/**
	 * Return a signature of a task with positional arguments, Celery's
	 * {@code task.s(*args)}.
	 * @param task the task name
	 * @param args the positional arguments, written as JSON
	 * @return the signature
	 */
	public static Signature of(String task, @Nullable Object... args) {
		return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), null, false, null);
	}

	/**
	 * Return a signature of a task with positional and keyword arguments, Celery's
	 * {@code signature(task, args, kwargs)}.
	 * @param task the task name
	 * @param args the positional arguments, written as JSON
	 * @param kwargs the keyword arguments, written as JSON
	 * @return the signature
	 */
	public static Signature of(String task, List<?> args, Map<String, ?> kwargs) {
		Assert.notNull(args, "'args' must not be null");
		Assert.notNull(kwargs, "'kwargs' must not be null");
		return new Signature(task, args, kwargs, Map.of(), null, false, null);
	}

	/**
	 * Return an immutable signature, Celery's {@code task.si(*args)}: a parent's result
	 * is not prepended to its arguments when it runs as a callback, chain step or chord
	 * body.
	 * @param task the task name
	 * @param args the positional arguments, written as JSON
	 * @return the signature
	 */
	public static Signature ofImmutable(String task, @Nullable Object... args) {
		return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), null, true, null);
	}

	/**
	 * Read a signature from its JSON form as Celery sends it (a dict with at least
	 * {@code task}). Nested canvas is checked too: {@code kwargs.tasks} of a chain or
	 * group, {@code kwargs.header} and {@code kwargs.body} of a chord,
	 * {@code kwargs.task} of {@code celery.map}, {@code celery.starmap} and
	 * {@code celery.chunks}, and the {@code link}, {@code link_error}, {@code chain} and
	 * {@code chord} options.
	 * @param json the decoded JSON object
	 * @return the signature
	 * @throws IllegalArgumentException if a field is missing or has the wrong type; the
	 * message names the field, for example {@code kwargs.tasks[1].args}
	 */
	public static Signature fromJson(Map<String, ?> json) {
		Assert.notNull(json, "'json' must not be null");
		return SignatureJson.read(json, "");
	}

	/**
	 * Read a signature from JSON text.
	 * @param json the text of one JSON object
	 * @return the signature
	 * @throws IllegalArgumentException if the text is not a signature
	 * @see #fromJson(Map)
	 */
	public static Signature fromJson(String json) {
		Assert.notNull(json, "'json' must not be null");
		Object value;
		try {
			value = Json.read(json);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Signature is not valid JSON: " + ex.getMessage(), ex);
		}
		return SignatureJson.read(value, "");
	}

	/**
	 * Return the task name.
	 * @return for example {@code tasks.add}, or {@code celery.chain} for a chain
	 */
	public String task() {
		return this.task;
	}

	/**
	 * Return the positional arguments as plain JSON values.
	 * @return an unmodifiable list
	 */
	public List<@Nullable Object> args() {
		return this.args;
	}

	/**
	 * Return the keyword arguments as plain JSON values.
	 * @return an unmodifiable map in insertion order
	 */
	public Map<String, @Nullable Object> kwargs() {
		return this.kwargs;
	}

	/**
	 * Return the {@code apply_async} options (for example {@code task_id}, {@code queue},
	 * {@code priority}, {@code countdown}, {@code link}) as plain JSON values.
	 * @return an unmodifiable map in insertion order
	 */
	public Map<String, @Nullable Object> options() {
		return this.options;
	}

	/**
	 * Return the kind of canvas this signature stands for.
	 * @return {@link #CHAIN}, {@link #GROUP}, {@link #CHORD}, or {@code null} for a task
	 */
	public @Nullable String subtaskType() {
		return this.subtaskType;
	}

	/**
	 * Return whether a parent's result is left out of the arguments (Celery's
	 * {@code si}).
	 * @return the immutable flag
	 */
	public boolean isImmutable() {
		return this.immutable;
	}

	/**
	 * Return the chord size some Celery versions carry in the signature.
	 * @return the size or {@code null} (Celery 5.2 never sets it)
	 */
	public @Nullable Integer chordSize() {
		return this.chordSize;
	}

	/**
	 * Return the pre-assigned task id ({@code options.task_id}).
	 * @return the id or {@code null} when the signature is not frozen
	 */
	public @Nullable String taskId() {
		return (this.options.get("task_id") instanceof String id && !id.isEmpty()) ? id : null;
	}

	/**
	 * Return the queue the options ask for ({@code options.queue}).
	 * @return the queue or {@code null} to route by task name
	 */
	public @Nullable String queue() {
		return (this.options.get("queue") instanceof String queue && !queue.isEmpty()) ? queue : null;
	}

	/**
	 * Return the callbacks linked to this signature ({@code options.link}).
	 * @return the signatures, empty when none
	 */
	public List<Signature> links() {
		return SignatureJson.signatures(this.options.get("link"), "options.link");
	}

	/**
	 * Return the errbacks linked to this signature ({@code options.link_error}).
	 * @return the signatures, empty when none
	 */
	public List<Signature> errbacks() {
		return SignatureJson.signatures(this.options.get("link_error"), "options.link_error");
	}

	/**
	 * Return a copy with arguments, keyword arguments and options applied as Celery's
	 * {@code clone(args, kwargs, **options)} (also {@code partial}): the arguments are
	 * prepended and the keyword arguments merged unless the signature is immutable;
	 * options are always merged, except that a {@code group_id} already set is kept.
	 * @param args arguments to prepend
	 * @param kwargs keyword arguments to merge
	 * @param options options to merge
	 * @return the new signature
	 */
	public Signature clone(List<?> args, Map<String, ?> kwargs, Map<String, ?> options) {
		Assert.notNull(args, "'args' must not be null");
		Assert.notNull(kwargs, "'kwargs' must not be null");
		Assert.notNull(options, "'options' must not be null");
		Map<String, @Nullable Object> newOptions = new LinkedHashMap<>(this.options);
		options.forEach((name, value) -> {
			if (!GROUP_ID.equals(name) || !this.options.containsKey(GROUP_ID)) {
				newOptions.put(name, value);
			}
		});
		if (this.immutable) {
			return new Signature(this.task, this.args, this.kwargs, newOptions, this.subtaskType, true, this.chordSize);
		}
		List<@Nullable Object> newArgs = new ArrayList<>(args);
		newArgs.addAll(this.args);
		Map<String, @Nullable Object> newKwargs = new LinkedHashMap<>(this.kwargs);
		newKwargs.putAll(kwargs);
		return new Signature(this.task, newArgs, newKwargs, newOptions, this.subtaskType, false, this.chordSize);
	}

	/**
	 * Return a copy with arguments prepended unless the signature is immutable: what a
	 * worker does with a parent's result before sending a callback or the next chain
	 * step.
	 * @param args the arguments to put first
	 * @return the new signature, or this one when it is immutable
	 */
	public Signature withArgsPrepended(List<?> args) {
		Assert.notNull(args, "'args' must not be null");
		if (this.immutable || args.isEmpty()) {
			return this;
		}
		return clone(args, Map.of(), Map.of());
	}

	/**
	 * Return a copy with other positional arguments (Celery's {@code replace(args=)}).
	 * @param args the arguments
	 * @return the new signature
	 */
	public Signature withArgs(List<?> args) {
		Assert.notNull(args, "'args' must not be null");
		return new Signature(this.task, args, this.kwargs, this.options, this.subtaskType, this.immutable,
				this.chordSize);
	}

	/**
	 * Return a copy with other keyword arguments (Celery's {@code replace(kwargs=)}).
	 * @param kwargs the keyword arguments
	 * @return the new signature
	 */
	public Signature withKwargs(Map<String, ?> kwargs) {
		Assert.notNull(kwargs, "'kwargs' must not be null");
		return new Signature(this.task, this.args, kwargs, this.options, this.subtaskType, this.immutable,
				this.chordSize);
	}

	/**
	 * Return a copy with one option set, Celery's {@code set(name=value)}.
	 * @param name the {@code apply_async} option, for example {@code queue}
	 * @param value its JSON value; {@code null} removes the option
	 * @return the new signature
	 */
	public Signature withOption(String name, @Nullable Object value) {
		Assert.hasText(name, "'name' must not be empty");
		Map<String, @Nullable Object> newOptions = new LinkedHashMap<>(this.options);
		if (value == null) {
			newOptions.remove(name);
		}
		else {
			newOptions.put(name, value);
		}
		return new Signature(this.task, this.args, this.kwargs, newOptions, this.subtaskType, this.immutable,
				this.chordSize);
	}

	/**
	 * Return a copy with options merged, Celery's {@code set(**options)}.
	 * @param options the options to set
	 * @return the new signature
	 */
	public Signature withOptions(Map<String, ?> options) {
		Assert.notNull(options, "'options' must not be null");
		Map<String, @Nullable Object> newOptions = new LinkedHashMap<>(this.options);
		newOptions.putAll(options);
		return new Signature(this.task, this.args, this.kwargs, newOptions, this.subtaskType, this.immutable,
				this.chordSize);
	}

	/**
	 * Return a copy with the immutable flag set, Celery's {@code set(immutable=...)}.
	 * @param immutable whether a parent's result is left out of the arguments
	 * @return the new signature
	 */
	public Signature withImmutable(boolean immutable) {
		return new Signature(this.task, this.args, this.kwargs, this.options, this.subtaskType, immutable,
				this.chordSize);
	}

	/**
	 * Return a copy with a pre-assigned task id ({@code options.task_id}).
	 * @param taskId the id
	 * @return the new signature
	 */
	public Signature withTaskId(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		return withOption("task_id", taskId);
	}

	/**
	 * Return a copy sent to a queue ({@code options.queue}).
	 * @param queue the queue
	 * @return the new signature
	 */
	public Signature withQueue(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		return withOption("queue", queue);
	}

	/**
	 * Return a copy with a priority ({@code options.priority}).
	 * @param priority 0 to 9
	 * @return the new signature
	 */
	public Signature withPriority(int priority) {
		Assert.isTrue(priority >= 0 && priority <= 9, () -> "'priority' must be 0 to 9, got " + priority);
		return withOption("priority", priority);
	}

	/**
	 * Return a copy that runs no earlier than this long after it is sent
	 * ({@code options.countdown}, in seconds).
	 * @param countdown the delay
	 * @return the new signature
	 */
	public Signature withCountdown(Duration countdown) {
		Assert.notNull(countdown, "'countdown' must not be null");
		return withOption("countdown", seconds(countdown));
	}

	/**
	 * Return a copy that runs no earlier than an instant ({@code options.eta}).
	 * @param eta the instant
	 * @return the new signature
	 */
	public Signature withEta(Instant eta) {
		Assert.notNull(eta, "'eta' must not be null");
		return withOption("eta", CeleryDates.format(eta, ZoneOffset.UTC));
	}

	/**
	 * Return a copy that expires this long after it is sent ({@code options.expires}, in
	 * seconds).
	 * @param expires the time to live
	 * @return the new signature
	 */
	public Signature withExpires(Duration expires) {
		Assert.notNull(expires, "'expires' must not be null");
		return withOption("expires", seconds(expires));
	}

	/**
	 * Return a copy that expires at an instant ({@code options.expires}).
	 * @param expires the instant
	 * @return the new signature
	 */
	public Signature withExpires(Instant expires) {
		Assert.notNull(expires, "'expires' must not be null");
		return withOption("expires", CeleryDates.format(expires, ZoneOffset.UTC));
	}

	/**
	 * Return a copy with a callback run with this task's result when it succeeds,
	 * Celery's {@code link}. Linking the same callback twice keeps one.
	 * @param callback the callback
	 * @return the new signature
	 */
	public Signature link(Signature callback) {
		return withListOption("link", callback);
	}

	/**
	 * Return a copy with an errback run when this task fails, Celery's
	 * {@code link_error}.
	 * @param errback the errback
	 * @return the new signature
	 */
	public Signature linkError(Signature errback) {
		return withListOption("link_error", errback);
	}

	private Signature withListOption(String name, Signature signature) {
		Assert.notNull(signature, () -> "'" + name + "' signature must not be null");
		return new Signature(this.task, this.args, this.kwargs, Canvases.withListOption(this.options, name, signature),
				this.subtaskType, this.immutable, this.chordSize);
	}

	/**
	 * Return a signature of Celery's {@code celery.map} built-in task: one worker calls
	 * this task once per item, in process, and returns the list of results, Celery's
	 * {@code task.map(it)}. The task must be registered on the worker that runs it.
	 * @param items the single arguments
	 * @return the {@code celery.map} signature
	 */
	public Signature map(List<?> items) {
		return builtin(BuiltinTasks.MAP, items, null);
	}

	/**
	 * Return a signature of Celery's {@code celery.starmap} built-in task: one worker
	 * calls this task once per argument list, Celery's {@code task.starmap(it)}.
	 * @param argumentLists the argument lists
	 * @return the {@code celery.starmap} signature
	 */
	public Signature starmap(List<? extends List<?>> argumentLists) {
		return builtin(BuiltinTasks.STARMAP, argumentLists, null);
	}

	/**
	 * Return a signature of Celery's {@code celery.chunks}: the argument lists split into
	 * chunks of {@code n}, each run as one {@code celery.starmap} task of a group,
	 * Celery's {@code task.chunks(it, n)}.
	 * @param argumentLists the argument lists
	 * @param n the number of argument lists per chunk
	 * @return the {@code celery.chunks} signature
	 */
	public Signature chunks(List<? extends List<?>> argumentLists, int n) {
		Assert.isTrue(n > 0, () -> "'n' must be positive, got " + n);
		return builtin(BuiltinTasks.CHUNKS, argumentLists, n);
	}

	private Signature builtin(String name, List<?> items, @Nullable Integer n) {
		Assert.notNull(items, "'items' must not be null");
		Map<String, @Nullable Object> builtinKwargs = new LinkedHashMap<>();
		builtinKwargs.put("task", this);
		builtinKwargs.put("it", items);
		if (n != null) {
			builtinKwargs.put("n", n);
		}
		return new Signature(name, List.of(), builtinKwargs, Map.of(), null, true, null);
	}

	/**
	 * Return the JSON form, Celery's {@code dict(signature)}.
	 * @return a new mutable map: {@code task, args, kwargs, options, subtask_type,
	 * immutable} (and {@code chord_size} when set)
	 */
	@JsonValue
	public Map<String, @Nullable Object> toJson() {
		Map<String, @Nullable Object> json = new LinkedHashMap<>();
		json.put("task", this.task);
		json.put("args", JsonValues.list(this.args));
		json.put("kwargs", JsonValues.map(this.kwargs));
		json.put("options", JsonValues.map(this.options));
		json.put("subtask_type", this.subtaskType);
		json.put("immutable", this.immutable);
		if (this.chordSize != null) {
			json.put("chord_size", this.chordSize);
		}
		return json;
	}

	/**
	 * Start a task message for this signature, its options applied as Celery's
	 * {@code apply_async} applies them: {@code task_id}, {@code queue} (else
	 * {@code routing_key}, else the given queue), {@code priority}, {@code countdown},
	 * {@code eta}, {@code expires}, {@code link} and {@code link_error} (as
	 * {@code embed.callbacks}/{@code errbacks}), {@code chain}, {@code chord},
	 * {@code group_id}, {@code group_index}, {@code parent_id}, {@code root_id},
	 * {@code reply_to}, {@code time_limit}, {@code soft_time_limit},
	 * {@code ignore_result}, {@code shadow}, {@code retries}. The caller may adjust the
	 * builder further (for example a worker sets the parent) before building.
	 * @param defaultQueue the queue when the options name none (the task's route)
	 * @param timezone the zone dates are written in (Celery's {@code timezone})
	 * @return the builder
	 * @throws IllegalArgumentException if an option has the wrong type; the message names
	 * the task and the option
	 */
	public TaskMessageBuilder messageBuilder(String defaultQueue, ZoneId timezone) {
		Assert.hasText(defaultQueue, "'defaultQueue' must not be empty");
		Assert.notNull(timezone, "'timezone' must not be null");
		if (this.subtaskType != null) {
			throw new IllegalArgumentException("Signature " + this.task + " is a " + this.subtaskType
					+ ", not a task: apply it with its canvas type instead of sending it as one message");
		}
		return SignatureOptions.apply(this, TaskMessage.builder(this.task), defaultQueue, timezone, Instant.now());
	}

	private static Number seconds(Duration duration) {
		if (duration.getNano() == 0) {
			return duration.getSeconds();
		}
		return duration.toNanos() / 1e9;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof Signature that && this.task.equals(that.task) && this.args.equals(that.args)
				&& this.kwargs.equals(that.kwargs) && this.options.equals(that.options)
				&& Objects.equals(this.subtaskType, that.subtaskType) && this.immutable == that.immutable
				&& Objects.equals(this.chordSize, that.chordSize);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.task, this.args, this.kwargs, this.options, this.subtaskType, this.immutable,
				this.chordSize);
	}

	/**
	 * Return the call as Celery's {@code repr} writes it.
	 * @return for example {@code tasks.add(2, 3)} or
	 * {@code tasks.greet('Ada', greeting='Hi')}
	 */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(this.task).append('(');
		String separator = "";
		for (Object arg : this.args) {
			text.append(separator).append(PythonRepr.value(arg));
			separator = ", ";
		}
		for (Map.Entry<String, @Nullable Object> entry : this.kwargs.entrySet()) {
			text.append(separator).append(entry.getKey()).append('=').append(PythonRepr.value(entry.getValue()));
			separator = ", ";
		}
		return text.append(')').toString();
	}

}
