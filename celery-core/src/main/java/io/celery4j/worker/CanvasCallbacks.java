package io.celery4j.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.canvas.Signature;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.protocol.Embed;
import io.celery4j.protocol.TaskHeaders;
import io.celery4j.task.PythonExceptions;
import io.celery4j.worker.CanvasSender.Parent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does for the canvas a finished task belongs to (PROTOCOL.md section 4),
 * called by the tracer around storing the task's outcome. Counterpart of the canvas part
 * of Celery's {@code build_tracer} and of {@code Backend.mark_as_done},
 * {@code mark_as_failure} and {@code mark_as_revoked}:
 * <ul>
 * <li>after a success, before its result is stored: the callbacks
 * ({@code embed.callbacks}; several go as one group) and the next chain step are sent
 * with the return value prepended, and listed as the result's {@code children};</li>
 * <li>after the result is stored: a chord header member reports to its chord (success,
 * failure, revoked); the member that completes the chord sends the body with the header's
 * results in order, or stores the body's {@code ChordError} when a member failed;</li>
 * <li>after a failure also: the same FAILURE is stored for every remaining chain step
 * that has an id, and the errbacks are sent as one group with the failed task's id
 * prepended.</li>
 * </ul>
 * A retry does none of this. Failures here never fail the worker: they are logged with
 * the task, and a callback that cannot be sent fails the task instead of losing the
 * chain.
 */
final class CanvasCallbacks {

	private static final Logger logger = LoggerFactory.getLogger(CanvasCallbacks.class);

	private final ResultBackend backend;

	private final CanvasSender sender;

	private final String nodeName;

	CanvasCallbacks(ResultBackend backend, CanvasSender sender, String nodeName) {
		this.backend = backend;
		this.sender = sender;
		this.nodeName = nodeName;
	}

	/**
	 * Send the callbacks and the next chain step of a succeeded task.
	 * @param request the finished request
	 * @param meta the outcome about to be stored
	 * @return the outcome with what was sent in {@code children}, a FAILURE when it could
	 * not be sent, or {@code meta} itself when there was nothing to send
	 */
	TaskMeta beforeStore(TaskRequest request, TaskMeta meta) {
		Embed embed = request.getMessage().embed();
		if (!TaskState.SUCCESS.equals(meta.status()) || (isEmpty(embed.callbacks()) && isEmpty(embed.chain()))) {
			return meta;
		}
		TaskHeaders headers = request.getMessage().headers();
		Parent parent = new Parent(headers.id(), headers.rootId(), request.getMessage().properties().priority());
		List<@Nullable Object> partial = Collections.singletonList(meta.result());
		List<@Nullable Object> children = new ArrayList<>(meta.children());
		try {
			if (!isEmpty(embed.callbacks())) {
				children.add(sendCallbacks(signatures(embed.callbacks()), partial, parent));
			}
			List<Map<String, @Nullable Object>> chain = embed.chain();
			if (!isEmpty(chain)) {
				// The last element runs next; the rest travels with it.
				List<Map<String, @Nullable Object>> rest = new ArrayList<>(chain.subList(0, chain.size() - 1));
				Signature next = Signature.fromJson(chain.get(chain.size() - 1));
				children.add(this.sender.apply(next, partial, parent, rest));
			}
		}
		catch (RuntimeException ex) {
			ExceptionInfo exception = PythonExceptions.toExceptionInfo(ex);
			logger.error("Task {} succeeded but what follows it in its canvas could not be sent: {}", request,
					PythonExceptions.repr(ex));
			return TaskResults.failure(headers, exception, PythonExceptions.traceback(ex));
		}
		return new TaskMeta(meta.taskId(), meta.status(), meta.result(), meta.traceback(), children, meta.dateDone(),
				meta.groupId(), meta.parentId(), meta.name(), meta.args(), meta.kwargs(), meta.worker(), meta.retries(),
				meta.queue());
	}

	private List<@Nullable Object> sendCallbacks(List<Signature> callbacks, List<@Nullable Object> partial,
			Parent parent) {
		if (callbacks.size() == 1) {
			return this.sender.apply(callbacks.get(0), partial, parent, null);
		}
		// As Celery: group callbacks are applied one by one, the others together as one
		// group with a fresh id; only that group is listed among the children.
		List<Signature> tasks = new ArrayList<>();
		List<@Nullable Object> last = null;
		for (Signature callback : callbacks) {
			if (Signature.GROUP.equals(callback.subtaskType())) {
				last = this.sender.apply(callback, partial, parent, null);
			}
			else {
				tasks.add(callback);
			}
		}
		return tasks.isEmpty() ? last : this.sender.applyGroup(tasks, null, partial, parent);
	}

	/**
	 * Continue the canvas after the outcome was stored (or would have been: ignored
	 * results still count in their chord).
	 * @param request the finished request
	 * @param meta the outcome
	 */
	void afterStore(TaskRequest request, TaskMeta meta) {
		String state = meta.status();
		if (!TaskState.SUCCESS.equals(state) && !TaskState.FAILURE.equals(state)) {
			return;
		}
		TaskHeaders headers = request.getMessage().headers();
		Embed embed = request.getMessage().embed();
		reportToChord(request, headers.group(), headers.groupIndex(), headers.id(), meta, embed.chord());
		if (TaskState.FAILURE.equals(state)) {
			failRemainingChain(request, meta, embed.chain());
			sendErrbacks(request, headers.id(), headers.rootId(), embed.errbacks());
		}
	}

	/**
	 * Report a revoked (or expired) chord member to its chord, as Celery's
	 * {@code mark_as_revoked}: the chord then fails.
	 * @param request the revoked request
	 * @param meta the REVOKED record
	 */
	void afterRevoked(TaskRequest request, TaskMeta meta) {
		TaskHeaders headers = request.getMessage().headers();
		reportToChord(request, headers.group(), headers.groupIndex(), headers.id(), meta,
				request.getMessage().embed().chord());
	}

	private void reportToChord(TaskRequest request, @Nullable String groupId, @Nullable Integer groupIndex,
			String taskId, TaskMeta meta, @Nullable Map<String, @Nullable Object> chord) {
		if (groupId == null || groupId.isEmpty() || chord == null) {
			return;
		}
		try {
			ChordPart part = new ChordPart(groupId, groupIndex, new ChordMember(taskId, meta.status(), meta.result()));
			List<ChordMember> members = this.backend.onChordPartReturn(part);
			if (members != null) {
				complete(request, groupId, Signature.fromJson(chord), members);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Task {}: chord {} could not be counted or completed: {}", request, groupId, ex.getMessage());
		}
	}

	private void complete(TaskRequest request, String groupId, Signature body, List<ChordMember> members) {
		for (ChordMember member : members) {
			if (member.isFailed()) {
				failChord(request, groupId, body, member.dependencyError());
				return;
			}
		}
		List<@Nullable Object> results = new ArrayList<>(members.size());
		members.forEach((member) -> results.add(member.result()));
		TaskHeaders headers = request.getMessage().headers();
		try {
			this.sender.apply(body, Collections.singletonList(results),
					new Parent(headers.id(), headers.rootId(), null), null);
			logger.debug("Chord {} complete: body {}[{}] sent by task {}", groupId, body.task(), body.taskId(),
					request);
		}
		catch (RuntimeException ex) {
			failChord(request, groupId, body, ChordMember.chordError("Callback error: " + PythonExceptions.repr(ex)));
		}
		finally {
			this.backend.deleteChord(groupId);
		}
	}

	/**
	 * Store the body's FAILURE and send its errbacks, as Celery's
	 * {@code chord_error_from_stack}.
	 */
	private void failChord(TaskRequest request, String groupId, Signature body, ExceptionInfo error) {
		String bodyId = body.taskId();
		logger.error("Chord {} raised: {}; body {}[{}] fails", groupId, PythonExceptions.repr(error), body.task(),
				bodyId);
		if (bodyId == null) {
			return;
		}
		String traceback = "Traceback (most recent call last):\n  Chord " + groupId + " completed by task "
				+ request.getId() + " on " + this.nodeName + "\ncelery.exceptions.ChordError: " + error.message()
				+ "\n";
		this.backend.store(new TaskMeta(bodyId, TaskState.FAILURE, error.toMap(), traceback, List.of(),
				CeleryDates.formatNaiveUtc(Instant.now()), null, null, null, null, null, null, null, null));
		List<Signature> errbacks = body.errbacks();
		if (!errbacks.isEmpty()) {
			this.sender.applyGroup(errbacks, null, List.of(bodyId), new Parent(bodyId, bodyId, null));
		}
	}

	/**
	 * Store the failure for every remaining chain step with an id, so that waiting on the
	 * chain's last id does not hang, and report steps that are chord members to their
	 * chord.
	 */
	private void failRemainingChain(TaskRequest request, TaskMeta meta,
			@Nullable List<Map<String, @Nullable Object>> chain) {
		if (isEmpty(chain)) {
			return;
		}
		boolean store = CanvasCallbacks.storesErrors(request);
		for (Map<String, @Nullable Object> json : chain) {
			try {
				Signature step = Signature.fromJson(json);
				String stepId = step.taskId();
				if (stepId == null) {
					continue;
				}
				String groupId = string(step.options().get("group_id"));
				if (store) {
					this.backend.store(new TaskMeta(stepId, meta.status(), meta.result(), meta.traceback(), List.of(),
							meta.dateDone(), groupId, string(step.options().get("parent_id")), null, null, null, null,
							null, null));
				}
				if (step.options().get("chord") instanceof Map<?, ?> chord) {
					@SuppressWarnings("unchecked")
					Map<String, @Nullable Object> body = (Map<String, @Nullable Object>) chord;
					Object index = step.options().get("group_index");
					reportToChord(request, groupId, (index instanceof Integer number) ? number : null, stepId, meta,
							body);
				}
			}
			catch (RuntimeException ex) {
				logger.error("Task {} failed; a later step of its chain could not be marked failed: {}", request,
						ex.getMessage());
			}
		}
	}

	private void sendErrbacks(TaskRequest request, String taskId, String rootId,
			@Nullable List<Map<String, @Nullable Object>> errbacks) {
		if (isEmpty(errbacks)) {
			return;
		}
		try {
			// Always as a group, with the failed task's id as the first argument.
			this.sender.applyGroup(signatures(errbacks), null, List.of(taskId), new Parent(taskId, rootId, null));
		}
		catch (RuntimeException ex) {
			logger.error("Task {} failed and its errbacks could not be sent: {}", request, ex.getMessage());
		}
	}

	static boolean storesErrors(TaskRequest request) {
		boolean ignored = request.getTask().options().ignoreResult() || request.getMessage().headers().ignoreResult();
		return !ignored || request.getTask().options().storeErrorsEvenIfIgnored();
	}

	private static List<Signature> signatures(List<Map<String, @Nullable Object>> json) {
		List<Signature> signatures = new ArrayList<>(json.size());
		json.forEach((item) -> signatures.add(Signature.fromJson(item)));
		return signatures;
	}

	private static boolean isEmpty(@Nullable List<?> list) {
		return list == null || list.isEmpty();
	}

	private static @Nullable String string(@Nullable Object value) {
		return (value instanceof String text && !text.isEmpty()) ? text : null;
	}

}
