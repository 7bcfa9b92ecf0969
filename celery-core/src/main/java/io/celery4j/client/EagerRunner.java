package io.celery4j.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.TaskMeta;
import io.celery4j.backend.TaskState;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.protocol.Json;
import io.celery4j.protocol.PythonRepr;
import io.celery4j.protocol.TaskHeaders;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.task.NotRegisteredException;
import io.celery4j.task.PythonExceptions;
import io.celery4j.task.RetryException;
import io.celery4j.task.RetryOptions;
import io.celery4j.task.TaskArgumentException;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskHookCalls;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.NodeNames;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.util.Assert;

/**
 * Runs tasks in the caller's thread instead of sending them, for
 * {@code celery.task.always-eager}: a {@link CeleryClient} with a runner set
 * ({@link CeleryClient#setEager}) hands every message it would publish to
 * {@link #apply(TaskMessage)}. Counterpart of Celery's {@code Task.apply} with
 * {@code task_always_eager}, {@code task_eager_propagates} and
 * {@code task_store_eager_result}.
 * <p>
 * The task runs with the same argument binding, retry logic ({@link TaskContext#retry},
 * {@code autoretry-for}) and {@link io.celery4j.task.TaskHooks hooks} as on a worker.
 * Nothing goes to the broker: a retry runs again at once, in the same thread, with the
 * retry count plus one (its countdown or eta is not waited for), time and rate limits do
 * not apply, and the message's eta and expires are ignored, as in Celery. The returned
 * {@link AsyncResult} is ready: it reads the outcome from memory, so
 * {@link AsyncResult#get(Duration)} returns the value or throws
 * {@link TaskFailedException} with the same exception record a worker stores.
 * <p>
 * With {@code propagates} ({@code task_eager_propagates}), what the task throws is thrown
 * from the client's {@code send} as it is (a checked exception too, as Celery re-raises
 * it), and a retry throws its {@link RetryException}; no hook runs then, as in Celery.
 */
public final class EagerRunner {

	private static final Logger logger = LoggerFactory.getLogger(EagerRunner.class);

	private final TaskRegistry registry;

	private final ResultBackend backend;

	private final boolean propagates;

	private final boolean storeResult;

	private final String hostname = NodeNames.hostname();

	/**
	 * Create a runner.
	 * @param registry the tasks that can run
	 * @param backend where results are stored when {@code storeResult} is set
	 * @param propagates whether exceptions are thrown from {@code send} (Celery's
	 * {@code task_eager_propagates})
	 * @param storeResult whether outcomes are also stored in the backend, as a worker
	 * stores them (Celery's {@code task_store_eager_result})
	 */
	public EagerRunner(TaskRegistry registry, ResultBackend backend, boolean propagates, boolean storeResult) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		this.registry = registry;
		this.backend = backend;
		this.propagates = propagates;
		this.storeResult = storeResult;
	}

	/**
	 * Run a task message now, in this thread, retries included.
	 * @param message the message a client would have sent
	 * @return a ready result
	 * @throws NotRegisteredException with {@code propagates}, when no task has the name
	 */
	public AsyncResult apply(TaskMessage message) {
		Assert.notNull(message, "'message' must not be null");
		TaskDefinition task = this.registry.find(message.taskName());
		if (task == null) {
			if (this.propagates) {
				throw new NotRegisteredException(message.taskName());
			}
			logger.error("Task {}[{}] is not registered in this application; always-eager runs only local tasks",
					message.taskName(), message.id());
			ExceptionInfo exception = new ExceptionInfo("NotRegistered", List.of(message.taskName()),
					"celery.exceptions");
			return ready(meta(message.headers(), TaskState.FAILURE, exception.toMap(), null, true));
		}
		String previousId = MDC.get("taskId");
		String previousName = MDC.get("taskName");
		try {
			TaskMessage current = message;
			while (true) {
				MDC.put("taskId", current.id());
				MDC.put("taskName", current.taskName());
				Run run = run(task, current);
				if (run.retry() == null) {
					return ready(run.meta());
				}
				current = run.retry();
			}
		}
		finally {
			restore("taskId", previousId);
			restore("taskName", previousName);
		}
	}

	private Run run(TaskDefinition task, TaskMessage message) {
		TaskContext context = new TaskContext(message, this.hostname, task.options(), true);
		long start = System.nanoTime();
		try {
			Object result = toJsonValue(message, task.invoker().invoke(context));
			if (logger.isDebugEnabled()) {
				logger.debug("Task {}[{}] succeeded eagerly in {}s: {}", message.taskName(), message.id(),
						seconds(start), PythonRepr.value(result));
			}
			return finish(context, meta(message.headers(), TaskState.SUCCESS, result, null, true), null);
		}
		catch (Throwable ex) {
			Throwable thrown = autoretry(task, context, ex);
			if (this.propagates) {
				throw EagerRunner.<RuntimeException>rethrow(thrown);
			}
			if (thrown instanceof RetryException retry) {
				logger.info("Task {}[{}] retry: {}", message.taskName(), message.id(), retry.getMessage());
				Throwable cause = retry.getCause();
				Object reason = (cause != null) ? PythonExceptions.toExceptionInfo(cause).toMap() : null;
				TaskMeta meta = meta(message.headers(), TaskState.RETRY, reason, PythonExceptions.traceback(retry),
						false);
				finish(context, meta, retry);
				return new Run(meta, retryMessage(message, retry));
			}
			return finish(context, failed(message, thrown, start), thrown);
		}
	}

	/**
	 * Celery's {@code autoretry_for}: an exception the task lists retries it with the
	 * exception as cause. The countdown is not computed: an eager retry runs at once.
	 */
	private static Throwable autoretry(TaskDefinition task, TaskContext context, Throwable exception) {
		if (exception instanceof RetryException || !task.options().retry().retriesAutomatically(exception)) {
			return exception;
		}
		try {
			throw context.retry(RetryOptions.defaults().exc(exception));
		}
		catch (Throwable ex) {
			return ex;
		}
	}

	private Run finish(TaskContext context, TaskMeta meta, @Nullable Throwable exception) {
		store(context, meta);
		TaskHookCalls.afterOutcome(context, meta.status(), meta.result(), exception);
		return new Run(meta, null);
	}

	private TaskMeta failed(TaskMessage message, Throwable thrown, long start) {
		ExceptionInfo exception = PythonExceptions.toExceptionInfo(thrown);
		if (thrown instanceof TaskArgumentException) {
			// A caller's mistake, not a bug in the task: no stack trace.
			logger.error("Task {}[{}] raised unexpected: {}: {}", message.taskName(), message.id(), exception.type(),
					exception.message());
		}
		else {
			logger.error("Task {}[{}] raised unexpected: {} (after {}s)", message.taskName(), message.id(),
					PythonExceptions.repr(thrown), seconds(start), thrown);
		}
		return meta(message.headers(), TaskState.FAILURE, exception.toMap(), PythonExceptions.traceback(thrown), true);
	}

	private void store(TaskContext context, TaskMeta meta) {
		if (!this.storeResult) {
			return;
		}
		boolean ignored = context.getOptions().ignoreResult() || context.getHeaders().ignoreResult();
		boolean error = !TaskState.SUCCESS.equals(meta.status());
		if (ignored && !(error && context.getOptions().storeErrorsEvenIfIgnored())) {
			return;
		}
		try {
			this.backend.store(meta);
		}
		catch (RuntimeException ex) {
			logger.error("Task {}[{}] result {} could not be stored in {}: {}", context.getTaskName(), context.getId(),
					meta.status(), this.backend.maskedUrl(), ex.getMessage());
		}
	}

	/**
	 * The message of the next run, as a worker would send it (PROTOCOL.md 5): same id,
	 * retry count plus one, the retry's arguments, the task's own id as parent.
	 */
	private static TaskMessage retryMessage(TaskMessage original, RetryException retry) {
		TaskHeaders headers = original.headers();
		return TaskMessage.builder(headers.task())
			.id(headers.id())
			.args(retry.getArgs())
			.kwargs(retry.getKwargs())
			.queue(original.properties().routingKey())
			.priority(original.properties().priority())
			.group(headers.group(), headers.groupIndex())
			.retries(retry.getRetries())
			.parent(headers.id(), headers.rootId())
			.ignoreResult(headers.ignoreResult())
			.build();
	}

	private static @Nullable Object toJsonValue(TaskMessage message, @Nullable Object value) {
		try {
			return Json.toValue(value);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Task '" + message.taskName() + "' returned a "
					+ value.getClass().getName() + " that cannot be written as JSON: " + ex.getMessage(), ex);
		}
	}

	private static TaskMeta meta(TaskHeaders headers, String status, @Nullable Object result,
			@Nullable String traceback, boolean ready) {
		String dateDone = ready ? CeleryDates.formatNaiveUtc(Instant.now()) : null;
		return new TaskMeta(headers.id(), status, result, traceback, List.of(), dateDone, headers.group(),
				headers.parentId(), null, null, null, null, null, null);
	}

	private AsyncResult ready(TaskMeta meta) {
		return new AsyncResult(meta.taskId(), new EagerResult(meta, this.storeResult ? this.backend : null));
	}

	private static void restore(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

	private static String seconds(long startNanos) {
		return String.format(Locale.ROOT, "%.4f", (System.nanoTime() - startNanos) / 1e9);
	}

	@SuppressWarnings("unchecked")
	private static <T extends Throwable> RuntimeException rethrow(Throwable exception) throws T {
		throw (T) exception;
	}

	/**
	 * What one run ended with: the outcome, and the message of the next run after a
	 * retry.
	 */
	private record Run(TaskMeta meta, @Nullable TaskMessage retry) {

	}

	/**
	 * The outcome of one eager run, held in memory like Celery's {@code EagerResult}; a
	 * result handle reads it without a backend round trip. Forgetting it also forgets
	 * what was stored with {@code store-eager-result}.
	 */
	private static final class EagerResult implements ResultBackend {

		private volatile @Nullable TaskMeta meta;

		private final @Nullable ResultBackend stored;

		EagerResult(TaskMeta meta, @Nullable ResultBackend stored) {
			this.meta = meta;
			this.stored = stored;
		}

		@Override
		public void store(TaskMeta meta) {
			this.meta = meta;
		}

		@Override
		public TaskMeta get(String taskId) {
			TaskMeta meta = this.meta;
			return (meta != null && meta.taskId().equals(taskId)) ? meta : TaskMeta.pending(taskId);
		}

		@Override
		public TaskMeta await(String taskId, Duration timeout) {
			return get(taskId);
		}

		@Override
		public void forget(String taskId) {
			this.meta = null;
			if (this.stored != null) {
				this.stored.forget(taskId);
			}
		}

		@Override
		public void ping() {
		}

		@Override
		public String maskedUrl() {
			return "eager://";
		}

		@Override
		public void close() {
		}

	}

}
