package io.celery4j.canvas;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Tasks that run in parallel, Celery's {@code group}: one message per member, each with
 * the group id in {@code headers.group} (PROTOCOL.md 1.5 and 4.3). Send it with
 * {@code CanvasClient.apply}, which returns a {@code GroupResult}.
 *
 * <pre class="code">
 * GroupResult sums = canvas.apply(Group.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)));
 * </pre>
 */
public final class Group {

	static final String TASK = "celery.group";

	private final List<Signature> tasks;

	private final Map<String, @Nullable Object> options;

	private Group(List<Signature> tasks, Map<String, @Nullable Object> options) {
		Assert.notNull(tasks, "'tasks' must not be null");
		Assert.noNullElements(tasks, "'tasks' must not contain null");
		this.tasks = List.copyOf(tasks);
		this.options = Collections.unmodifiableMap(JsonValues.map(options));
	}

	/**
	 * Return a group of tasks.
	 * @param tasks the members
	 * @return the group
	 */
	public static Group of(Signature... tasks) {
		return new Group(Arrays.asList(tasks), Map.of());
	}

	/**
	 * Return a group of tasks.
	 * @param tasks the members
	 * @return the group
	 */
	public static Group of(List<Signature> tasks) {
		return new Group(tasks, Map.of());
	}

	/**
	 * Return the group a signature stands for, for example one read from a message.
	 * @param signature a signature with {@code subtask_type} {@code group}
	 * @return the group
	 * @throws IllegalArgumentException if the signature is not a group
	 */
	public static Group from(Signature signature) {
		Assert.notNull(signature, "'signature' must not be null");
		if (!Signature.GROUP.equals(signature.subtaskType())) {
			throw new IllegalArgumentException(
					"Signature " + signature.task() + " is not a group (subtask_type " + signature.subtaskType() + ")");
		}
		return new Group(SignatureJson.readAll(signature.kwargs().get("tasks"), "kwargs.tasks"), signature.options());
	}

	/**
	 * Return the members.
	 * @return the signatures
	 */
	public List<Signature> tasks() {
		return this.tasks;
	}

	/**
	 * Return the options of the group itself (a {@code task_id} becomes the group id).
	 * @return the options
	 */
	public Map<String, @Nullable Object> options() {
		return this.options;
	}

	/**
	 * Return a copy with a chosen group id instead of a new one.
	 * @param groupId the id
	 * @return the new group
	 */
	public Group withId(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		Map<String, @Nullable Object> options = new LinkedHashMap<>(this.options);
		options.put("task_id", groupId);
		return new Group(this.tasks, options);
	}

	/**
	 * Return the JSON-ready signature of this group, Celery's {@code dict(group)}.
	 * @return a signature of {@code celery.group} with {@code kwargs.tasks}
	 */
	public Signature toSignature() {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("tasks", this.tasks);
		return new Signature(TASK, List.of(), kwargs, this.options, Signature.GROUP, false, null);
	}

	@Override
	public String toString() {
		return "group(" + this.tasks + ")";
	}

}
