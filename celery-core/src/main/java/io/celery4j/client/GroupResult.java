package io.celery4j.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The results of a group's members, in the order they were given, Celery's
 * {@code celery.result.GroupResult}. It can be saved in the backend and restored by id
 * from any client, Java or Python ({@code celery-taskset-meta-<group id>}, PROTOCOL.md
 * 4.3). A group has no single state: ask {@link #ready()}, {@link #successful()},
 * {@link #failed()} or {@link #completedCount()}, or wait with {@link #join(Duration)}.
 *
 * <pre class="code">
 * GroupResult group = canvas.apply(Group.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)));
 * group.save();
 * List&lt;Object&gt; sums = GroupResult.restore(group.getId(), backend).join(Duration.ofSeconds(10)); // [2, 4]
 * </pre>
 */
public class GroupResult extends AsyncResult {

	private final List<AsyncResult> results;

	/**
	 * Create a handle on a group's results.
	 * @param id the group id
	 * @param results the members' results in group order
	 * @param backend the backend to read from
	 * @param parent the result this group follows, or {@code null}
	 */
	public GroupResult(String id, List<? extends AsyncResult> results, ResultBackend backend,
			@Nullable AsyncResult parent) {
		super(id, backend, parent);
		Assert.notNull(results, "'results' must not be null");
		this.results = Collections.unmodifiableList(new ArrayList<>(results));
	}

	/**
	 * Restore a group result saved by {@link #save()} or by Python's
	 * {@code GroupResult.save()}.
	 * @param groupId the group id
	 * @param backend the backend it was saved in
	 * @return the group, or {@code null} when none is saved under that id (or it expired)
	 */
	public static @Nullable GroupResult restore(String groupId, ResultBackend backend) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		Assert.notNull(backend, "'backend' must not be null");
		Object tuple = backend.restoreGroup(groupId);
		if (tuple == null) {
			return null;
		}
		AsyncResult restored = ResultTuples.fromTuple(tuple, backend, "saved group " + groupId);
		if (!(restored instanceof GroupResult group)) {
			throw new IllegalArgumentException("Saved group " + groupId + " holds a single result, not a group: "
					+ ResultTuples.toTuple(restored));
		}
		return group;
	}

	/**
	 * Return the members' results in group order.
	 * @return an unmodifiable list
	 */
	public List<AsyncResult> getResults() {
		return this.results;
	}

	/**
	 * Save this group in the result backend, Celery's {@code GroupResult.save()}, so that
	 * {@link #restore} finds it by id.
	 * @return this group
	 */
	public GroupResult save() {
		getBackend().saveGroup(getId(), ResultTuples.toTuple(this));
		return this;
	}

	/**
	 * Delete the saved group, Celery's {@code GroupResult.delete()}; the members' results
	 * stay.
	 */
	public void delete() {
		getBackend().forgetGroup(getId());
	}

	/**
	 * Wait for every member and return their values in group order, Celery's
	 * {@code join()}.
	 * @param timeout the most to wait for all of them together
	 * @return the values as plain JSON values
	 * @throws TaskFailedException if a member failed (the first failed one in order)
	 * @throws TaskRevokedException if a member was revoked
	 * @throws TaskTimeoutException if a member was not ready in time
	 */
	public List<@Nullable Object> join(Duration timeout) {
		Assert.notNull(timeout, "'timeout' must not be null");
		long deadline = System.nanoTime() + timeout.toNanos();
		List<@Nullable Object> values = new ArrayList<>(this.results.size());
		for (AsyncResult result : this.results) {
			Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			values.add(result.get(remaining));
		}
		return values;
	}

	/**
	 * Wait for every member, the same as {@link #join(Duration)}.
	 * @param timeout the most to wait
	 * @return the members' values in group order, a {@code List}
	 */
	@Override
	public @Nullable Object get(Duration timeout) {
		return join(timeout);
	}

	/**
	 * Return how many members succeeded, Celery's {@code completed_count()}.
	 * @return the number of members in state SUCCESS
	 */
	public int completedCount() {
		int count = 0;
		for (AsyncResult result : this.results) {
			if (result.successful()) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Return whether every member is done (SUCCESS, FAILURE or REVOKED).
	 * @return whether all are ready
	 */
	@Override
	public boolean ready() {
		return this.results.stream().allMatch(AsyncResult::ready);
	}

	/**
	 * Return whether every member succeeded.
	 * @return whether all are in state SUCCESS
	 */
	@Override
	public boolean successful() {
		return this.results.stream().allMatch(AsyncResult::successful);
	}

	/**
	 * Return whether any member failed.
	 * @return whether one is in state FAILURE
	 */
	@Override
	public boolean failed() {
		return this.results.stream().anyMatch(AsyncResult::failed);
	}

	/**
	 * Not available: a group has no record of its own.
	 * @throws UnsupportedOperationException always, naming the group
	 */
	@Override
	public TaskMeta info() {
		throw new UnsupportedOperationException("Group " + getId()
				+ " has no single state; use ready(), successful(), failed(), completedCount() or getResults()");
	}

	/**
	 * Delete every member's result and the saved group.
	 */
	@Override
	public void forget() {
		this.results.forEach(AsyncResult::forget);
		delete();
	}

	@Override
	public String toString() {
		return getId() + this.results;
	}

}
