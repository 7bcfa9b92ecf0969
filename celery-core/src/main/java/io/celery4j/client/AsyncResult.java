package io.celery4j.client;

import java.time.Duration;

import io.celery4j.CeleryException;
import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The result of a task sent to any worker, Java or Python. Counterpart of Celery's
 * {@code celery.result.AsyncResult}.
 *
 * <pre class="code">
 * AsyncResult result = client.send("tasks.add", 2, 3);
 * int sum = result.get(Duration.ofSeconds(10), Integer.class);
 * </pre>
 */
public class AsyncResult {

	private final String id;

	private final ResultBackend backend;

	private final @Nullable AsyncResult parent;

	public AsyncResult(String id, ResultBackend backend) {
		this(id, backend, null);
	}

	/**
	 * Create a handle on a result whose workflow parent is known, as the results of a
	 * chain's steps or of a chord's body.
	 * @param id the task id
	 * @param backend the backend to read from
	 * @param parent the result this one follows, or {@code null}
	 */
	public AsyncResult(String id, ResultBackend backend, @Nullable AsyncResult parent) {
		Assert.hasText(id, "'id' must not be empty");
		Assert.notNull(backend, "'backend' must not be null");
		this.id = id;
		this.backend = backend;
		this.parent = parent;
	}

	/**
	 * Return the task id.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Return the result this one follows in a workflow, Celery's {@code result.parent}:
	 * the previous step of a chain, or the header {@link GroupResult} of a chord's body.
	 * Known only to the client that sent the workflow (or restored it).
	 * @return the parent, or {@code null}
	 */
	public @Nullable AsyncResult getParent() {
		return this.parent;
	}

	/**
	 * Return the backend this result is read from.
	 * @return the backend
	 */
	protected ResultBackend getBackend() {
		return this.backend;
	}

	/**
	 * Wait for the result and return it as a JSON value ({@code Map}, {@code List},
	 * {@code String}, {@code Number}, {@code Boolean} or {@code null}).
	 * @param timeout the most to wait
	 * @return the task's return value
	 * @throws TaskFailedException if the task failed
	 * @throws TaskRevokedException if the task was revoked or expired
	 * @throws TaskTimeoutException if the task was not ready in time
	 */
	public @Nullable Object get(Duration timeout) {
		TaskMeta meta = await(timeout);
		return valueOf(meta);
	}

	/**
	 * Wait for the result and convert it to a type.
	 * @param <T> the result type
	 * @param timeout the most to wait
	 * @param type the type to convert to (any type Jackson can read JSON into)
	 * @return the task's return value
	 * @throws TaskFailedException if the task failed
	 * @throws TaskRevokedException if the task was revoked or expired
	 * @throws TaskTimeoutException if the task was not ready in time
	 */
	public <T> @Nullable T get(Duration timeout, Class<T> type) {
		Object value = get(timeout);
		try {
			return Json.convert(value, type);
		}
		catch (RuntimeException ex) {
			throw new CeleryException(
					"Result of task " + this.id + " cannot be read as " + type.getName() + ": " + ex.getMessage(), ex);
		}
	}

	private TaskMeta await(Duration timeout) {
		TaskMeta meta;
		try {
			meta = this.backend.await(this.id, timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CeleryException("Interrupted while waiting for task " + this.id, ex);
		}
		if (!meta.isReady()) {
			throw new TaskTimeoutException(this.id, timeout, meta.status());
		}
		return meta;
	}

	private @Nullable Object valueOf(TaskMeta meta) {
		if (TaskState.SUCCESS.equals(meta.status())) {
			return meta.result();
		}
		ExceptionInfo exception = meta.exception();
		if (TaskState.REVOKED.equals(meta.status())) {
			throw new TaskRevokedException(this.id, (exception != null) ? exception.message() : "revoked");
		}
		throw new TaskFailedException(this.id,
				(exception != null) ? exception
						: new ExceptionInfo("Exception", java.util.List.of(String.valueOf(meta.result())), null),
				meta.traceback());
	}

	/**
	 * Return the task's current state, without waiting.
	 * @return the state, see {@link TaskState}
	 */
	public String state() {
		return info().status();
	}

	/**
	 * Return whether the task is done (SUCCESS, FAILURE or REVOKED).
	 * @return whether the result is ready
	 */
	public boolean ready() {
		return info().isReady();
	}

	/**
	 * Return whether the task succeeded.
	 * @return whether the state is SUCCESS
	 */
	public boolean successful() {
		return TaskState.SUCCESS.equals(state());
	}

	/**
	 * Return whether the task failed.
	 * @return whether the state is FAILURE
	 */
	public boolean failed() {
		return TaskState.FAILURE.equals(state());
	}

	/**
	 * Return the whole stored record, without waiting.
	 * @return the record, PENDING when nothing is stored
	 */
	public TaskMeta info() {
		return this.backend.get(this.id);
	}

	/**
	 * Delete the stored result.
	 */
	public void forget() {
		this.backend.forget(this.id);
	}

	@Override
	public String toString() {
		return this.id;
	}

}
