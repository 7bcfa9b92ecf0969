package io.celery4j.testsupport;

import java.time.Duration;
import java.util.List;

import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ResultBackend} that forwards every call to another one, for tests that watch a
 * few calls by overriding them. {@link #close()} leaves the other backend open: the test
 * that made it closes it.
 */
public class ForwardingResultBackend implements ResultBackend {

	private final ResultBackend delegate;

	public ForwardingResultBackend(ResultBackend delegate) {
		this.delegate = delegate;
	}

	@Override
	public void store(TaskMeta meta) {
		this.delegate.store(meta);
	}

	@Override
	public TaskMeta get(String taskId) {
		return this.delegate.get(taskId);
	}

	@Override
	public TaskMeta await(String taskId, Duration timeout) throws InterruptedException {
		return this.delegate.await(taskId, timeout);
	}

	@Override
	public void onTaskCall(String taskId) {
		this.delegate.onTaskCall(taskId);
	}

	@Override
	public void forget(String taskId) {
		this.delegate.forget(taskId);
	}

	@Override
	public void setChordSize(String groupId, int size) {
		this.delegate.setChordSize(groupId, size);
	}

	@Override
	public @Nullable List<ChordMember> onChordPartReturn(ChordPart part) {
		return this.delegate.onChordPartReturn(part);
	}

	@Override
	public void deleteChord(String groupId) {
		this.delegate.deleteChord(groupId);
	}

	@Override
	public void ping() {
		this.delegate.ping();
	}

	@Override
	public String maskedUrl() {
		return this.delegate.maskedUrl();
	}

	@Override
	public void saveGroup(String groupId, Object result) {
		this.delegate.saveGroup(groupId, result);
	}

	@Override
	public @Nullable Object restoreGroup(String groupId) {
		return this.delegate.restoreGroup(groupId);
	}

	@Override
	public void forgetGroup(String groupId) {
		this.delegate.forgetGroup(groupId);
	}

	@Override
	public void close() {
		// The test that made the other backend closes it.
	}

}
