package io.celery4j.backend;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A chord header task that has finished, as it reports to its chord: Celery's
 * {@code on_chord_part_return(request, state, result)} arguments.
 *
 * @param groupId the chord header's group id ({@code headers.group})
 * @param groupIndex the task's position in the header ({@code headers.group_index}), or
 * {@code null} when the message had none (then it sorts last, as Celery's {@code +inf})
 * @param member the task's id, state and result
 */
public record ChordPart(String groupId, @Nullable Integer groupIndex, ChordMember member) {

	public ChordPart {
		Assert.hasText(groupId, "'groupId' must not be empty");
		Assert.notNull(member, "'member' must not be null");
	}

	/**
	 * Return the id of the header task.
	 * @return the task id
	 */
	public String taskId() {
		return this.member.taskId();
	}

}
