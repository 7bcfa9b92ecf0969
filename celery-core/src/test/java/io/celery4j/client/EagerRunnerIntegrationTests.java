package io.celery4j.client;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celery4j.annotation.CeleryTask;
import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.backend.TaskState;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.protocol.Json;
import io.celery4j.task.ArgumentBinder;
import io.celery4j.task.MethodTaskInvoker;
import io.celery4j.task.NotRegisteredException;
import io.celery4j.task.RetryException;
import io.celery4j.task.RetryOptions;
import io.celery4j.task.RetryPolicy;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskHooks;
import io.celery4j.task.TaskInvoker;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.testsupport.RedisTestServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Eager mode ({@code celery.task.always-eager}) on a client whose broker and backend are
 * a real Redis: tasks run in the caller's thread with the worker's argument binding,
 * retries and hooks, the result is ready at once, and nothing reaches Redis unless
 * {@code store-eager-result} asks for the result to be stored.
 */
class EagerRunnerIntegrationTests {

	private static final int BROKER_DB = 12;

	private static final int BACKEND_DB = 13;

	private static final Duration NO_WAIT = Duration.ofMillis(1);

	private final String queue = "eager-" + UUID.randomUUID();

	private final Broker broker = Brokers.create(RedisTestServer.get().url(BROKER_DB));

	private final ResultBackend backend = ResultBackends.create(RedisTestServer.get().url(BACKEND_DB),
			Duration.ofHours(1));

	private final TaskRegistry registry = new TaskRegistry();

	private final CeleryClient client = new CeleryClient(this.broker, this.backend,
			new TaskRouter(Map.of(), this.registry, this.queue), ZoneOffset.UTC);

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final TaskHooks hooks = new TaskHooks() {

		@Override
		public void onSuccess(@Nullable Object result, TaskContext context) {
			EagerRunnerIntegrationTests.this.calls.add("onSuccess " + result);
		}

		@Override
		public void onFailure(Throwable exception, TaskContext context) {
			EagerRunnerIntegrationTests.this.calls.add("onFailure " + exception.getMessage());
		}

		@Override
		public void onRetry(@Nullable Throwable exception, TaskContext context) {
			EagerRunnerIntegrationTests.this.calls
				.add("onRetry " + context.getRetries() + " " + ((exception != null) ? exception.getMessage() : null));
		}

		@Override
		public void afterReturn(String state, @Nullable Object result, TaskContext context) {
			EagerRunnerIntegrationTests.this.calls.add("afterReturn " + state);
		}

	};

	EagerRunnerIntegrationTests() throws NoSuchMethodException {
		TaskOptions hooked = TaskOptions.defaults().withHooks(List.of(this.hooks));
		method("tasks.add", MathTasks.class.getMethod("add", int.class, int.class), hooked);
		method("tasks.thread", MathTasks.class.getMethod("thread"), hooked);
		task("tasks.fail", hooked, (context) -> {
			throw new IllegalStateException("broken " + context.getArgs().get(0));
		});
		task("tasks.checked", hooked, (context) -> {
			throw new IOException("disk gone");
		});
		// Retries until its retry count reaches args[0], each retry with the default
		// delay of 180 s: an eager retry must not wait for it.
		task("tasks.retry_until", hooked, (context) -> {
			int target = ((Number) context.getArgs().get(0)).intValue();
			if (context.getRetries() < target) {
				throw context.retry(RetryOptions.defaults().exc(new IOException("try " + context.getRetries())));
			}
			return context.getRetries();
		});
		task("tasks.is_eager", hooked, (context) -> context.isEager());
		RetryPolicy autoretry = new RetryPolicy(2, Duration.ofMinutes(10), List.of(IOException.class),
				Duration.ofMinutes(1), Duration.ofMinutes(10), false);
		task("tasks.flaky", hooked.withRetry(autoretry), (context) -> {
			throw new IOException("flaky " + context.getRetries());
		});
	}

	@AfterEach
	void close() {
		this.backend.close();
		this.broker.close();
	}

	@Test
	void runsTheTaskByNameInTheCallersThreadAndReturnsAReadyResult() {
		eager(false, false);
		AsyncResult result = this.client.send("tasks.add", 2, 3);
		assertThat(result.ready()).isTrue();
		assertThat(result.get(NO_WAIT, Integer.class)).isEqualTo(5);
		assertThat(this.client.send("tasks.thread").get(NO_WAIT)).isEqualTo(Thread.currentThread().getName());
		assertThat(this.calls).containsExactly("onSuccess 5", "afterReturn SUCCESS",
				"onSuccess " + Thread.currentThread().getName(), "afterReturn SUCCESS");
		assertNothingReachedRedis(result);
	}

	@Test
	void tellsTheTaskItRunsEagerly() {
		eager(false, false);
		assertThat(this.client.send("tasks.is_eager").get(NO_WAIT)).isEqualTo(true);
	}

	@Test
	void runsTheTaskByMethodReference() {
		eager(false, false);
		AsyncResult result = this.client.send(MathTasks.class, (tasks) -> tasks.add(20, 22),
				SendOptions.defaults().taskId("eager-by-reference-" + UUID.randomUUID()));
		assertThat(result.getId()).startsWith("eager-by-reference-");
		assertThat(result.get(NO_WAIT, Integer.class)).isEqualTo(42);
		assertNothingReachedRedis(result);
	}

	@Test
	void bindsArgumentsAsTheWorkerDoesAndFailsWithItsMessage() {
		eager(false, false);
		AsyncResult result = this.client.send("tasks.add", "two", 3);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(NO_WAIT))
			.satisfies((ex) -> assertThat(ex.getExceptionMessage()).contains("tasks.add").contains("'x'"));
	}

	@Test
	void storesAFailureWithTheSameShapeAsTheWorker() {
		eager(false, false);
		AsyncResult result = this.client.send("tasks.fail", "pipe");
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(NO_WAIT)).satisfies((ex) -> {
			assertThat(ex.getTaskId()).isEqualTo(result.getId());
			// The worker's mapping of Java exceptions to Python's.
			assertThat(ex.getExceptionType()).isEqualTo("RuntimeError");
			assertThat(ex.getExceptionMessage()).isEqualTo("broken pipe");
			assertThat(ex.getRemoteTraceback()).contains("EagerRunner").endsWith("RuntimeError: broken pipe\n");
		});
		assertThat(this.calls).containsExactly("onFailure broken pipe", "afterReturn FAILURE");
		assertNothingReachedRedis(result);
	}

	@Test
	void runsRetriesInlineWithoutWaitingForTheirCountdown() {
		eager(false, false);
		AsyncResult result = this.client.send("tasks.retry_until", 2);
		assertThat(result.get(NO_WAIT, Integer.class)).isEqualTo(2);
		assertThat(this.calls).containsExactly("onRetry 0 try 0", "onRetry 1 try 1", "onSuccess 2",
				"afterReturn SUCCESS");
		assertNothingReachedRedis(result);
	}

	@Test
	void failsWithTheCauseOnceTheRetriesAreUsedUp() {
		eager(false, false);
		AsyncResult result = this.client.send("tasks.retry_until", 5);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(NO_WAIT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("OSError");
			assertThat(ex.getExceptionMessage()).isEqualTo("try 3");
		});
		assertThat(this.calls).containsExactly("onRetry 0 try 0", "onRetry 1 try 1", "onRetry 2 try 2",
				"onFailure try 3", "afterReturn FAILURE");
	}

	@Test
	void retriesAutomaticallyForTheListedExceptions() {
		eager(false, false);
		AsyncResult result = this.client.send("tasks.flaky");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(NO_WAIT))
			.satisfies((ex) -> assertThat(ex.getExceptionMessage()).isEqualTo("flaky 2"));
		assertThat(this.calls).containsExactly("onRetry 0 flaky 0", "onRetry 1 flaky 1", "onFailure flaky 2",
				"afterReturn FAILURE");
	}

	@Test
	void throwsTheTasksExceptionFromSendWhenEagerPropagates() {
		eager(true, false);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.client.send("tasks.fail", "x"))
			.withMessage("broken x");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.client.send("tasks.checked"))
			.withMessage("disk gone");
		// As Celery: the exception leaves before the failure is handled, so no hook runs.
		assertThat(this.calls).isEmpty();
		assertThat(this.broker.queueLength(this.queue)).isZero();
	}

	@Test
	void throwsTheRetryFromSendWhenEagerPropagates() {
		eager(true, false);
		assertThatExceptionOfType(RetryException.class).isThrownBy(() -> this.client.send("tasks.retry_until", 1))
			.satisfies((ex) -> {
				assertThat(ex.getRetries()).isEqualTo(1);
				assertThat(ex.getCause()).hasMessage("try 0");
			});
	}

	@Test
	void failsAsNotRegisteredForATaskThisApplicationDoesNotHave() {
		eager(false, false);
		AsyncResult result = this.client.send("tasks.elsewhere", 1);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(NO_WAIT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("NotRegistered");
			assertThat(ex.getExceptionMessage()).isEqualTo("tasks.elsewhere");
		});
		assertNothingReachedRedis(result);
		eager(true, false);
		assertThatExceptionOfType(NotRegisteredException.class).isThrownBy(() -> this.client.send("tasks.elsewhere", 1))
			.withMessageContaining("tasks.elsewhere");
	}

	@Test
	void storesTheResultInTheBackendWhenStoreEagerResultIsSet() {
		eager(false, true);
		AsyncResult result = this.client.send("tasks.add", 1, 2);
		assertThat(this.backend.get(result.getId()).status()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.client.result(result.getId()).get(NO_WAIT, Integer.class)).isEqualTo(3);
		AsyncResult failed = this.client.send("tasks.fail", "link");
		assertThat(this.backend.get(failed.getId()).exception().message()).isEqualTo("broken link");
		result.forget();
		assertThat(this.backend.get(result.getId()).status()).isEqualTo(TaskState.PENDING);
		this.backend.forget(failed.getId());
		assertThat(this.broker.queueLength(this.queue)).isZero();
	}

	@Test
	void sendsToTheBrokerAgainOnceEagerModeIsOff() throws InterruptedException {
		eager(false, false);
		this.client.setEager(null);
		assertThat(this.client.isEager()).isFalse();
		AsyncResult result = this.client.send("tasks.add", 1, 1);
		assertThat(this.broker.queueLength(this.queue)).isEqualTo(1);
		assertThat(result.ready()).isFalse();
		// Take the message back out: the test cleans the keys it made.
		this.broker.fetch(List.of(this.queue), 1, Duration.ofSeconds(1)).forEach(this.broker::ack);
	}

	private void eager(boolean propagates, boolean storeResult) {
		this.client.setEager(new EagerRunner(this.registry, this.backend, propagates, storeResult));
		assertThat(this.client.isEager()).isTrue();
	}

	private void assertNothingReachedRedis(AsyncResult result) {
		assertThat(this.broker.queueLength(this.queue)).isZero();
		assertThat(this.backend.get(result.getId()).status()).isEqualTo(TaskState.PENDING);
	}

	private void task(String name, TaskOptions options, TaskInvoker invoker) {
		this.registry.register(new TaskDefinition(name, invoker, options, "test task " + name));
	}

	private void method(String name, Method method, TaskOptions options) {
		ArgumentBinder binder = new ArgumentBinder(name, method, Json.mapper());
		task(name, options, new MethodTaskInvoker(new MathTasks(), method, binder));
	}

	public static class MathTasks {

		@CeleryTask(name = "tasks.add")
		public int add(int x, int y) {
			return x + y;
		}

		@CeleryTask(name = "tasks.thread")
		public String thread() {
			return Thread.currentThread().getName();
		}

	}

}
