package io.celery4j.worker;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.broker.Broker;
import io.celery4j.canvas.Signature;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageBuilder;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.TaskRouter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the signatures a worker continues a canvas with (callbacks, the next chain step,
 * errbacks, a chord body) as task messages, as Celery's {@code Signature.apply_async}
 * does from inside a task (PROTOCOL.md 4.1): the parent's result prepended to the
 * arguments unless the signature is immutable, {@code parent_id} the finished task,
 * {@code root_id} its root, the queue from the signature's options or else the task's
 * route. Plain task signatures, groups (one message per member, a fresh group id) and
 * chains (the first step, the rest as its {@code embed.chain}) are sent; a chord as a
 * callback or chain step is refused with an error naming it.
 */
final class CanvasSender {

	private static final Logger logger = LoggerFactory.getLogger(CanvasSender.class);

	private final Broker broker;

	private final TaskMessageCodec codec;

	private final ZoneId timezone;

	private final TaskRouter router;

	CanvasSender(Broker broker, TaskMessageCodec codec, TaskRouter router, ZoneId timezone) {
		this.broker = broker;
		this.codec = codec;
		this.router = router;
		this.timezone = timezone;
	}

	/**
	 * Send a signature of any supported kind.
	 * @param signature the signature
	 * @param partialArgs arguments to prepend unless the signature is immutable
	 * @param parent the finished task the message continues
	 * @param chain the chain the sent task continues with ({@code embed.chain}), or
	 * {@code null} to keep the signature's own
	 * @return the result tuple of what was sent, as Celery lists it in {@code children}
	 */
	List<@Nullable Object> apply(Signature signature, List<?> partialArgs, Parent parent,
			@Nullable List<Map<String, @Nullable Object>> chain) {
		String type = signature.subtaskType();
		if (Signature.GROUP.equals(type)) {
			return applyGroup(members(signature), groupId(signature), partialArgs, parent);
		}
		if (Signature.CHAIN.equals(type)) {
			return applyChain(signature, partialArgs, parent, chain);
		}
		if (type != null) {
			throw new IllegalArgumentException("Cannot send a " + type + " signature (" + signature.task()
					+ ") as a callback or chain step from a Java worker; only tasks, groups and chains are supported");
		}
		Signature task = signature.withArgsPrepended(partialArgs);
		if (chain != null) {
			task = task.withOption("chain", chain);
		}
		return resultTuple(send(task, parent), null);
	}

	/**
	 * Send signatures together as one group, Celery's {@code group(...).apply_async}:
	 * nested groups are unrolled, every member gets the group id.
	 * @param members the members
	 * @param groupId the group id, or {@code null} for a fresh one
	 * @param partialArgs arguments to prepend to each member unless it is immutable
	 * @param parent the finished task the messages continue
	 * @return the group's result tuple {@code [[gid, null], [member tuples]]}
	 */
	List<@Nullable Object> applyGroup(List<Signature> members, @Nullable String groupId, List<?> partialArgs,
			Parent parent) {
		String gid = (groupId != null) ? groupId : UUID.randomUUID().toString();
		List<@Nullable Object> results = new ArrayList<>();
		for (Signature member : unroll(members)) {
			Signature joined = (member.options().get("group_id") == null) ? member.withOption("group_id", gid) : member;
			results.add(apply(joined, partialArgs, parent, null));
		}
		return resultTuple(gid, results);
	}

	private List<@Nullable Object> applyChain(Signature chain, List<?> partialArgs, Parent parent,
			@Nullable List<Map<String, @Nullable Object>> outerChain) {
		List<Signature> steps = new ArrayList<>();
		for (Signature step : members(chain)) {
			steps.add((step.taskId() != null) ? step : step.withTaskId(UUID.randomUUID().toString()));
		}
		if (steps.isEmpty()) {
			throw new IllegalArgumentException("Cannot send an empty chain (" + chain.task() + ")");
		}
		// The last element runs next: the rest of this chain, then what followed it.
		List<Map<String, @Nullable Object>> remaining = new ArrayList<>((outerChain != null) ? outerChain : List.of());
		List<Signature> later = new ArrayList<>(steps.subList(1, steps.size()));
		Collections.reverse(later);
		later.forEach((step) -> remaining.add(step.toJson()));
		Signature first = steps.get(0).withArgsPrepended(partialArgs).withOption("chain", remaining);
		String id = send(first, parent);
		String lastId = steps.get(steps.size() - 1).taskId();
		return resultTuple((lastId != null) ? lastId : id, null);
	}

	/**
	 * Send one task signature as it is (arguments already applied).
	 * @param signature a task signature
	 * @param parent the finished task the message continues
	 * @return the id of the sent task
	 */
	String send(Signature signature, Parent parent) {
		TaskMessageBuilder builder = signature.messageBuilder(this.router.route(signature.task(), null), this.timezone);
		builder.parent(parent.id(), parent.rootId());
		if (parent.priority() != null && signature.options().get("priority") == null) {
			builder.priority(parent.priority());
		}
		TaskMessage message = builder.build();
		String queue = message.properties().routingKey();
		this.broker.declareQueue(queue);
		this.broker.publish(queue, message.properties().priority(), this.codec.encode(message));
		logger.debug("Task {}[{}] sent to queue '{}' by task {}", message.taskName(), message.id(), queue, parent.id());
		return message.id();
	}

	private static List<Signature> unroll(List<Signature> members) {
		List<Signature> flat = new ArrayList<>();
		for (Signature member : members) {
			if (Signature.GROUP.equals(member.subtaskType())) {
				flat.addAll(unroll(members(member)));
			}
			else {
				flat.add(member);
			}
		}
		return flat;
	}

	private static @Nullable String groupId(Signature group) {
		return group.taskId();
	}

	/**
	 * Return the signatures in {@code kwargs.tasks} of a group or chain signature.
	 */
	private static List<Signature> members(Signature canvas) {
		Object tasks = canvas.kwargs().get("tasks");
		if (!(tasks instanceof List<?> list)) {
			throw new IllegalArgumentException(
					"Signature " + canvas.task() + " (" + canvas.subtaskType() + ") has no list in kwargs.tasks");
		}
		List<Signature> members = new ArrayList<>();
		for (Object item : list) {
			if (!(item instanceof Map<?, ?> map)) {
				throw new IllegalArgumentException(
						"Signature " + canvas.task() + " has a member that is not a signature: " + item);
			}
			@SuppressWarnings("unchecked")
			Map<String, ?> json = (Map<String, ?>) map;
			members.add(Signature.fromJson(json));
		}
		return members;
	}

	/**
	 * Return Celery's {@code as_tuple()} of a result: {@code [[id, null], null]} for a
	 * task, {@code [[gid, null], [members]]} for a group.
	 */
	static List<@Nullable Object> resultTuple(String id, @Nullable List<@Nullable Object> members) {
		return Arrays.asList(Arrays.asList(id, null), members);
	}

	/**
	 * The finished task messages are sent for.
	 *
	 * @param id its id, the {@code parent_id} of what is sent
	 * @param rootId its root id, the {@code root_id} of what is sent
	 * @param priority its priority, inherited by what does not set its own; {@code null}
	 * to leave the signature's
	 */
	record Parent(String id, String rootId, @Nullable Integer priority) {

	}

}
