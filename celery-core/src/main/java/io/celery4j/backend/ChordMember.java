package io.celery4j.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.celery4j.protocol.Json;
import io.celery4j.protocol.PythonRepr;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One finished chord header task as the backend keeps it until the chord completes: the
 * sorted-set member {@code [1, "<task id>", "<state>", <result>]} of
 * {@code celery-taskset-meta-<group id>.j} (PROTOCOL.md 4.4). Counterpart of the tuples
 * Celery's {@code RedisBackend.on_chord_part_return} adds and
 * {@code _unpack_chord_result} reads.
 *
 * @param taskId the header task's id
 * @param state its final state, for example {@code SUCCESS}, {@code FAILURE} or
 * {@code REVOKED}
 * @param result its return value, or its exception record (PROTOCOL.md 3.4) for FAILURE
 * and REVOKED
 */
public record ChordMember(String taskId, String state, @Nullable Object result) {

	public ChordMember {
		Assert.hasText(taskId, "'taskId' must not be empty");
		Assert.hasText(state, "'state' must not be empty");
	}

	/**
	 * Return whether this member fails the chord: its state is FAILURE or REVOKED
	 * (Celery's {@code PROPAGATE_STATES}).
	 * @return whether the chord body must not run
	 */
	public boolean isFailed() {
		return TaskState.FAILURE.equals(this.state) || TaskState.REVOKED.equals(this.state);
	}

	/**
	 * Return the {@code ChordError} a chord body fails with because of this member, as
	 * Celery words it: {@code Dependency <id> raised ValueError('bad member')}.
	 * @return the exception record to store for the body
	 */
	public ExceptionInfo dependencyError() {
		return chordError("Dependency " + this.taskId + " raised " + exceptionRepr());
	}

	/**
	 * Return a {@code ChordError} record ({@code celery.exceptions.ChordError}).
	 * @param message the message, for example {@code Callback error: ...}
	 * @return the exception record
	 */
	public static ExceptionInfo chordError(String message) {
		return new ExceptionInfo("ChordError", List.of(message), "celery.exceptions");
	}

	private String exceptionRepr() {
		ExceptionInfo exception = ExceptionInfo.fromValue(this.result);
		if (exception == null) {
			return PythonRepr.value(this.result);
		}
		// Python's BaseException.__repr__: Name('one') or Name(1, 'two'), Name() alone.
		List<String> arguments = new ArrayList<>();
		exception.arguments().forEach((argument) -> arguments.add(PythonRepr.value(argument)));
		return exception.type() + "(" + String.join(", ", arguments) + ")";
	}

	/**
	 * Return the member as stored, written as Python's {@code json.dumps} writes it.
	 * @return for example {@code [1, "8e0083cc-...", "SUCCESS", 0]}
	 */
	public String encode() {
		return PythonJson.write(Arrays.asList(1, this.taskId, this.state, this.result));
	}

	/**
	 * Read a stored member.
	 * @param groupId the chord's group id, for the error message
	 * @param json the stored text
	 * @return the member
	 * @throws IllegalArgumentException if the text is not {@code [1, id, state, result]}
	 */
	public static ChordMember decode(String groupId, String json) {
		Object value;
		try {
			value = Json.read(json);
		}
		catch (RuntimeException ex) {
			throw invalid(groupId, json, "not valid JSON");
		}
		if (!(value instanceof List<?> list) || list.size() != 4 || !(list.get(1) instanceof String taskId)
				|| taskId.isEmpty() || !(list.get(2) instanceof String state) || state.isEmpty()) {
			throw invalid(groupId, json, "expected [1, \"<task id>\", \"<state>\", <result>]");
		}
		return new ChordMember(taskId, state, list.get(3));
	}

	private static IllegalArgumentException invalid(String groupId, String json, String reason) {
		String shown = (json.length() > 200) ? json.substring(0, 200) + "..." : json;
		return new IllegalArgumentException(
				"Chord " + groupId + " has an unreadable header result '" + shown + "': " + reason);
	}

}
