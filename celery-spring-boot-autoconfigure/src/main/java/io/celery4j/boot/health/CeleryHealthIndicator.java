package io.celery4j.boot.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.celery4j.backend.ResultBackend;
import io.celery4j.broker.Broker;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.pool.TaskPool;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of Celery: UP while the broker and the result backend answer a ping, DOWN with
 * the error while either does not. Details name the broker and the backend by their
 * masked URLs and describe the local worker (running, pool, concurrency). Each check
 * pings again, so the status turns UP as soon as the broker is back, with no restart.
 */
public class CeleryHealthIndicator extends AbstractHealthIndicator {

	/** How long a check waits for each ping by default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

	private final Broker broker;

	private final ResultBackend backend;

	private final @Nullable WorkerContainer worker;

	private final Duration timeout;

	private final Ping brokerPing;

	private final Ping backendPing;

	/**
	 * Create an indicator that waits up to {@link #DEFAULT_TIMEOUT} for each ping.
	 * @param broker the broker
	 * @param backend the result backend
	 * @param worker the local worker, or {@code null} when this application runs none
	 */
	public CeleryHealthIndicator(Broker broker, ResultBackend backend, @Nullable WorkerContainer worker) {
		this(broker, backend, worker, DEFAULT_TIMEOUT);
	}

	/**
	 * Create an indicator.
	 * @param broker the broker
	 * @param backend the result backend
	 * @param worker the local worker, or {@code null} when this application runs none
	 * @param timeout how long a health check waits for each ping before it reports DOWN
	 */
	public CeleryHealthIndicator(Broker broker, ResultBackend backend, @Nullable WorkerContainer worker,
			Duration timeout) {
		super("Celery health check failed");
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.broker = broker;
		this.backend = backend;
		this.worker = worker;
		this.timeout = timeout;
		this.brokerPing = new Ping("broker", broker::ping);
		this.backendPing = new Ping("backend", backend::ping);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("broker", this.broker.maskedUrl())
			.withDetail("backend", this.backend.maskedUrl())
			.withDetail("workers", workers());
		String brokerError = this.brokerPing.check(this.timeout);
		String backendError = this.backendPing.check(this.timeout);
		if (brokerError == null && backendError == null) {
			builder.up();
			return;
		}
		builder.down();
		if (brokerError != null) {
			builder.withDetail("error", brokerError);
		}
		if (backendError != null) {
			builder.withDetail((brokerError != null) ? "backendError" : "error", backendError);
		}
	}

	static String describe(Throwable ex) {
		Throwable cause = ex;
		StringBuilder text = new StringBuilder(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
			text.append("; caused by ")
				.append(cause.getClass().getSimpleName())
				.append(": ")
				.append(cause.getMessage());
		}
		return text.toString();
	}

	private Map<String, Object> workers() {
		Map<String, Object> workers = new LinkedHashMap<>();
		WorkerContainer worker = this.worker;
		if (worker != null) {
			WorkerOptions options = worker.getOptions();
			TaskPool pool = worker.getPool();
			Map<String, Object> local = new LinkedHashMap<>();
			local.put("running", worker.isRunning());
			local.put("pool", options.pool().name().toLowerCase(Locale.ROOT));
			local.put("concurrency", (pool != null) ? pool.getSize() : options.concurrency());
			local.put("queues", options.queues());
			workers.put(options.nodeName(), local);
		}
		return workers;
	}

	/**
	 * One ping at a time on a daemon thread: a client that queues commands while
	 * disconnected (Lettuce) would otherwise hold the health endpoint for its whole
	 * command timeout, and checks repeated meanwhile must not pile up threads.
	 */
	private static final class Ping {

		private final String what;

		private final Runnable ping;

		private @Nullable CompletableFuture<Void> pending;

		Ping(String what, Runnable ping) {
			this.what = what;
			this.ping = ping;
		}

		@Nullable String check(Duration timeout) {
			CompletableFuture<Void> future = start();
			try {
				future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
				return null;
			}
			catch (TimeoutException ex) {
				return "Celery " + this.what + " does not answer: no reply to a ping within " + timeout.toMillis()
						+ "ms";
			}
			catch (ExecutionException ex) {
				// No stack trace in the health details: the message names what failed.
				return "Celery " + this.what + " does not answer: " + describe(ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "Celery " + this.what + " health check interrupted";
			}
		}

		private synchronized CompletableFuture<Void> start() {
			CompletableFuture<Void> pending = this.pending;
			if (pending != null && !pending.isDone()) {
				return pending;
			}
			CompletableFuture<Void> future = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					this.ping.run();
					future.complete(null);
				}
				catch (RuntimeException | Error ex) {
					future.completeExceptionally(ex);
				}
			}, "celery-health-" + this.what);
			thread.setDaemon(true);
			thread.start();
			this.pending = future;
			return future;
		}

	}

}
