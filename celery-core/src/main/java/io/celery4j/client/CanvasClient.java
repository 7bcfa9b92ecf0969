package io.celery4j.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.canvas.BuiltinTasks;
import io.celery4j.canvas.Chain;
import io.celery4j.canvas.Chord;
import io.celery4j.canvas.Group;
import io.celery4j.canvas.Signature;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Sends canvases, Celery's {@code apply_async} of signatures, chains, groups and chords,
 * with the messages Celery's client sends (PROTOCOL.md 1.5), so that Java and Python
 * workers carry them on: a chain sends its first task with the rest in
 * {@code embed.chain}, a group one message per member, a chord its header with the body
 * in {@code embed.chord} after writing the header size to the backend.
 *
 * <pre class="code">
 * CanvasClient canvas = new CanvasClient(client);
 * AsyncResult product = canvas.apply(Chain.of(Signature.of("tasks.add", 2, 3), Signature.of("tasks.mul", 4)));
 * GroupResult sums = canvas.apply(Group.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)));
 * AsyncResult total = canvas.apply(Chord.of(List.of(Signature.of("tasks.add", 1, 1)), Signature.of("tasks.xsum")));
 * </pre>
 */
public class CanvasClient {

	private final CeleryClient client;

	/**
	 * Create a canvas client sending through a client's broker and reading its backend.
	 * @param client the client
	 */
	public CanvasClient(CeleryClient client) {
		Assert.notNull(client, "'client' must not be null");
		this.client = client;
	}

	/**
	 * Send any signature: a task (with its {@code link}/{@code link_error}), or the
	 * chain, group or chord it stands for, or {@code celery.chunks} as the group of
	 * {@code celery.starmap} tasks Celery sends.
	 * @param signature the signature
	 * @return the result: the last step's for a chain, a {@link GroupResult} for a group
	 * or chunks, the body's for a chord
	 * @throws IllegalArgumentException if the canvas has a shape this client cannot send;
	 * the message names the element
	 */
	public AsyncResult apply(Signature signature) {
		Assert.notNull(signature, "'signature' must not be null");
		String type = signature.subtaskType();
		if (Signature.CHAIN.equals(type)) {
			return apply(Chain.from(signature));
		}
		if (Signature.GROUP.equals(type)) {
			return apply(Group.from(signature));
		}
		if (Signature.CHORD.equals(type)) {
			return apply(Chord.from(signature));
		}
		if (BuiltinTasks.CHUNKS.equals(signature.task())) {
			return apply(BuiltinTasks.chunksGroup(signature));
		}
		return send(freeze(signature), null);
	}

	/**
	 * Send a chain: its first task, the rest in {@code embed.chain} (last element next),
	 * each with a pre-assigned id. A chain that starts with a group followed by a task is
	 * a chord, as in Celery.
	 * @param chain the chain
	 * @return the last step's result; {@link AsyncResult#getParent()} walks back
	 */
	public AsyncResult apply(Chain chain) {
		Assert.notNull(chain, "'chain' must not be null");
		List<Signature> steps = unrollChains(chain.tasks());
		if (steps.isEmpty()) {
			throw new IllegalArgumentException("Chain has no tasks; give it at least one signature");
		}
		Signature first = steps.get(0);
		if (Signature.GROUP.equals(first.subtaskType()) && steps.size() > 1) {
			// chain(group, task, ...) is chord(group, task) followed by the rest.
			Chord chord = withErrbacks(Chord.of(Group.from(first), steps.get(1)), chain);
			return applyChord(chord, steps.subList(2, steps.size()), links(chain));
		}
		if (Signature.CHORD.equals(first.subtaskType())) {
			return applyChord(withErrbacks(Chord.from(first), chain), steps.subList(1, steps.size()), links(chain));
		}
		if (Signature.GROUP.equals(first.subtaskType())) {
			return apply(Group.from(first));
		}
		return sendChain(steps, chain.options(), Map.of(), null);
	}

	/**
	 * Send a group: one message per member with the group id in {@code headers.group}. A
	 * member may be a chain (its last step belongs to the group); nested groups are
	 * unrolled.
	 * @param group the group
	 * @return the group's result, members in order
	 */
	public GroupResult apply(Group group) {
		Assert.notNull(group, "'group' must not be null");
		String groupId = idOption(group.options());
		List<AsyncResult> results = new ArrayList<>();
		for (Signature member : unrollGroups(group.tasks(), "group " + groupId)) {
			results.add(sendMember(member, Map.of("group_id", groupId)));
		}
		return new GroupResult(groupId, results, this.client.getBackend(), null);
	}

	/**
	 * Send a chord: the header size first ({@code celery-taskset-meta-<group id>.s}),
	 * then one message per header task with {@code group}, {@code group_index} and the
	 * body in {@code embed.chord}. An empty header sends the body at once with an empty
	 * list, as Celery.
	 * @param chord the chord
	 * @return the body's result, whose {@link AsyncResult#getParent() parent} is the
	 * header's {@link GroupResult}
	 */
	public AsyncResult apply(Chord chord) {
		Assert.notNull(chord, "'chord' must not be null");
		return applyChord(chord, List.of(), List.of());
	}

	private AsyncResult applyChord(Chord chord, List<Signature> after, List<Signature> links) {
		String groupId = idOption(chord.options());
		List<Signature> header = unrollGroups(chord.header(), "chord " + groupId);
		// The body and any steps after it form a chain the last header task starts.
		List<Signature> bodySteps = new ArrayList<>(Signature.CHAIN.equals(chord.body().subtaskType())
				? unrollChains(Chain.from(chord.body()).tasks()) : List.of(chord.body()));
		bodySteps.addAll(unrollChains(after));
		List<Signature> frozen = freezeSteps(bodySteps, "chord " + groupId + " body", Map.of(), links);
		Signature body = withRest(frozen);
		// Written before any header message, so whichever task finishes last sees the
		// size.
		if (!header.isEmpty()) {
			this.client.getBackend().setChordSize(groupId, header.size());
		}
		List<AsyncResult> members = new ArrayList<>(header.size());
		for (int i = 0; i < header.size(); i++) {
			Map<String, @Nullable Object> options = new LinkedHashMap<>();
			options.put("group_id", groupId);
			options.put("group_index", i);
			options.put("chord", body);
			members.add(sendMember(header.get(i), options));
		}
		GroupResult headerResult = new GroupResult(groupId, members, this.client.getBackend(), null);
		if (header.isEmpty()) {
			send(body.withArgsPrepended(List.of(List.of())), null);
		}
		return results(frozen, headerResult);
	}

	private AsyncResult sendMember(Signature member, Map<String, @Nullable Object> options) {
		if (Signature.CHAIN.equals(member.subtaskType())) {
			Chain chain = Chain.from(member);
			return sendChain(unrollChains(chain.tasks()), chain.options(), options, null);
		}
		requireTask(member, "member");
		Signature frozen = freeze(member);
		return send(frozen.withOptions(withoutKept(frozen, options)), null);
	}

	private AsyncResult sendChain(List<Signature> steps, Map<String, @Nullable Object> chainOptions,
			Map<String, @Nullable Object> lastOptions, @Nullable AsyncResult parent) {
		List<Signature> frozen = freezeSteps(steps, "chain", lastOptions, links(chainOptions));
		List<Signature> errbacks = errbacks(chainOptions);
		if (!errbacks.isEmpty()) {
			frozen = frozen.stream().map((step) -> linkAll(step, errbacks)).toList();
		}
		send(withRest(frozen), parent);
		return results(frozen, parent);
	}

	/**
	 * Freeze the steps of a chain: each gets a task id and this process's reply_to, the
	 * last one the options that place it in a group or chord and the chain's links.
	 */
	private List<Signature> freezeSteps(List<Signature> steps, String what, Map<String, @Nullable Object> lastOptions,
			List<Signature> links) {
		List<Signature> frozen = new ArrayList<>(steps.size());
		for (int i = 0; i < steps.size(); i++) {
			Signature step = steps.get(i);
			requireTask(step, what + " step " + i);
			step = freeze(step);
			if (i == steps.size() - 1) {
				step = step.withOptions(withoutKept(step, lastOptions));
				for (Signature link : links) {
					step = step.link(link);
				}
			}
			frozen.add(step);
		}
		return frozen;
	}

	/** The first step with the others in its {@code chain} option, last element next. */
	private static Signature withRest(List<Signature> frozen) {
		if (frozen.size() == 1) {
			return frozen.get(0);
		}
		List<Signature> rest = new ArrayList<>(frozen.subList(1, frozen.size()));
		Collections.reverse(rest);
		return frozen.get(0).withOption("chain", rest);
	}

	private AsyncResult results(List<Signature> frozen, @Nullable AsyncResult parent) {
		AsyncResult result = parent;
		for (Signature step : frozen) {
			result = new AsyncResult(step.taskId(), this.client.getBackend(), result);
		}
		return result;
	}

	private AsyncResult send(Signature signature, @Nullable AsyncResult parent) {
		TaskMessageBuilder builder = signature.messageBuilder(route(signature), this.client.timezone());
		TaskMessage message = builder.build();
		return this.client.publish(message, parent);
	}

	/**
	 * Route as Celery: a map or starmap goes where the task it runs goes.
	 */
	private String route(Signature signature) {
		String name = signature.task();
		if ((BuiltinTasks.MAP.equals(name) || BuiltinTasks.STARMAP.equals(name))
				&& signature.kwargs().get("task") instanceof Map<?, ?> inner
				&& inner.get("task") instanceof String task) {
			name = task;
		}
		return this.client.route(name, signature.queue());
	}

	private static Signature freeze(Signature signature) {
		Signature frozen = (signature.taskId() != null) ? signature
				: signature.withTaskId(UUID.randomUUID().toString());
		if (!frozen.options().containsKey("reply_to")) {
			frozen = frozen.withOption("reply_to", TaskMessageBuilder.processReplyTo());
		}
		return frozen;
	}

	/** Options to set, but a group id the signature already has stays, as in Celery. */
	private static Map<String, @Nullable Object> withoutKept(Signature signature,
			Map<String, @Nullable Object> options) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>(options);
		if (signature.options().containsKey("group_id")) {
			result.remove("group_id");
		}
		return result;
	}

	private static String idOption(Map<String, @Nullable Object> options) {
		return (options.get("task_id") instanceof String id && !id.isEmpty()) ? id : UUID.randomUUID().toString();
	}

	private static List<Signature> unrollChains(List<Signature> tasks) {
		List<Signature> steps = new ArrayList<>();
		for (Signature task : tasks) {
			if (Signature.CHAIN.equals(task.subtaskType())) {
				steps.addAll(unrollChains(Chain.from(task).tasks()));
			}
			else {
				steps.add(task);
			}
		}
		return steps;
	}

	private static List<Signature> unrollGroups(List<Signature> tasks, String what) {
		List<Signature> members = new ArrayList<>();
		for (Signature task : tasks) {
			if (Signature.GROUP.equals(task.subtaskType())) {
				members.addAll(unrollGroups(Group.from(task).tasks(), what));
			}
			else if (Signature.CHORD.equals(task.subtaskType())) {
				throw new IllegalArgumentException("A chord inside " + what + " is not supported: " + task
						+ ". Send the inner chord on its own, or chain it after the group.");
			}
			else {
				members.add(task);
			}
		}
		return members;
	}

	private static void requireTask(Signature signature, String what) {
		if (signature.subtaskType() != null) {
			throw new IllegalArgumentException("The " + what + " is a " + signature.subtaskType() + " ("
					+ signature.task() + "), which is not supported in that position; only a chain may start with a"
					+ " group or chord, and a group or chord header may hold tasks and chains of tasks");
		}
	}

	private static Chord withErrbacks(Chord chord, Chain chain) {
		Chord result = chord;
		for (Signature errback : errbacks(chain.options())) {
			result = result.linkError(errback);
		}
		return result;
	}

	private static List<Signature> links(Chain chain) {
		return links(chain.options());
	}

	private static List<Signature> links(Map<String, @Nullable Object> options) {
		return Signature.of("celery.chain").withOptions(options).links();
	}

	private static List<Signature> errbacks(Map<String, @Nullable Object> options) {
		return Signature.of("celery.chain").withOptions(options).errbacks();
	}

	private static Signature linkAll(Signature step, List<Signature> errbacks) {
		Signature result = step;
		for (Signature errback : errbacks) {
			result = result.linkError(errback);
		}
		return result;
	}

}
