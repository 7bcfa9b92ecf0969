package io.celery4j.canvas;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Tasks that run one after another, each result prepended to the next task's arguments
 * unless that signature is immutable, Celery's {@code chain}. Only the first task is
 * sent; the rest travel in its {@code embed.chain} and each worker sends the next step
 * (PROTOCOL.md 1.5 and 4.1). Send it with {@code CanvasClient.apply}.
 *
 * <pre class="code">
 * Chain chain = Chain.of(Signature.of("tasks.add", 2, 3), Signature.of("tasks.mul", 4));
 * AsyncResult last = canvas.apply(chain);   // (2 + 3) * 4
 * </pre>
 */
public final class Chain {

	static final String TASK = "celery.chain";

	private final List<Signature> tasks;

	private final Map<String, @Nullable Object> options;

	private Chain(List<Signature> tasks, Map<String, @Nullable Object> options) {
		Assert.notNull(tasks, "'tasks' must not be null");
		Assert.noNullElements(tasks, "'tasks' must not contain null");
		this.tasks = List.copyOf(tasks);
		this.options = Collections.unmodifiableMap(JsonValues.map(options));
	}

	/**
	 * Return a chain of tasks.
	 * @param tasks the steps in the order they run
	 * @return the chain
	 */
	public static Chain of(Signature... tasks) {
		return new Chain(Arrays.asList(tasks), Map.of());
	}

	/**
	 * Return a chain of tasks.
	 * @param tasks the steps in the order they run
	 * @return the chain
	 */
	public static Chain of(List<Signature> tasks) {
		return new Chain(tasks, Map.of());
	}

	/**
	 * Return the chain a signature stands for, for example one read from a message.
	 * @param signature a signature with {@code subtask_type} {@code chain}
	 * @return the chain
	 * @throws IllegalArgumentException if the signature is not a chain
	 */
	public static Chain from(Signature signature) {
		Assert.notNull(signature, "'signature' must not be null");
		if (!Signature.CHAIN.equals(signature.subtaskType())) {
			throw new IllegalArgumentException(
					"Signature " + signature.task() + " is not a chain (subtask_type " + signature.subtaskType() + ")");
		}
		return new Chain(SignatureJson.readAll(signature.kwargs().get("tasks"), "kwargs.tasks"), signature.options());
	}

	/**
	 * Return the steps in the order they run.
	 * @return the signatures
	 */
	public List<Signature> tasks() {
		return this.tasks;
	}

	/**
	 * Return the options of the chain itself ({@code link}, {@code link_error}).
	 * @return the options
	 */
	public Map<String, @Nullable Object> options() {
		return this.options;
	}

	/**
	 * Return a copy whose last step calls a callback with the chain's result.
	 * @param callback the callback
	 * @return the new chain
	 */
	public Chain link(Signature callback) {
		return new Chain(this.tasks, Canvases.withListOption(this.options, "link", callback));
	}

	/**
	 * Return a copy in which every step calls an errback when it fails, as Celery's
	 * {@code chain.link_error}.
	 * @param errback the errback
	 * @return the new chain
	 */
	public Chain linkError(Signature errback) {
		return new Chain(this.tasks, Canvases.withListOption(this.options, "link_error", errback));
	}

	/**
	 * Return the JSON-ready signature of this chain, Celery's {@code dict(chain)}, to
	 * nest it in another canvas.
	 * @return a signature of {@code celery.chain} with {@code kwargs.tasks}
	 */
	public Signature toSignature() {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("tasks", this.tasks);
		return new Signature(TASK, List.of(), kwargs, this.options, Signature.CHAIN, false, null);
	}

	@Override
	public String toString() {
		return String.join(" | ", this.tasks.stream().map(Signature::toString).toList());
	}

}
