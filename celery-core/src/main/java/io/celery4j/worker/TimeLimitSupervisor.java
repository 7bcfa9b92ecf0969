package io.celery4j.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.celery4j.task.TaskOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the time limits of running tasks on the worker's timer. At the soft limit it
 * marks the request and interrupts its thread (the tracer turns the interrupt into
 * {@code SoftTimeLimitExceeded}); at the hard limit it takes the end of the run from the
 * tracer, replaces the pool thread so the pool keeps its capacity, and hands the request
 * to the tracer's time-limit handling. Counterpart of the pool's soft/hard timeouts in
 * Celery ({@code on_soft_timeout}, {@code on_hard_timeout} in
 * {@code celery.worker.request}).
 * <p>
 * Limits come from the message's {@code timelimit} header {@code [hard, soft]} (set by a
 * Python client's {@code apply_async(time_limit=..., soft_time_limit=...)}), each falling
 * back to the task's own option, as in Celery.
 */
final class TimeLimitSupervisor {

	private static final Logger logger = LoggerFactory.getLogger(TimeLimitSupervisor.class);

	private final ScheduledExecutorService timer;

	private final BiConsumer<TaskRequest, Thread> replaceThread;

	TimeLimitSupervisor(ScheduledExecutorService timer, BiConsumer<TaskRequest, Thread> replaceThread) {
		this.timer = timer;
		this.replaceThread = replaceThread;
	}

	/**
	 * Start watching a request that starts now on the current thread.
	 * @param request the request
	 * @param onHardLimit what stores the failure once the hard limit took the run, called
	 * before the pool thread is replaced
	 * @return the watch, to cancel when the task returns
	 */
	Watch watch(TaskRequest request, BiConsumer<TaskRequest, Duration> onHardLimit) {
		Duration hard = limit(request, 0);
		Duration soft = limit(request, 1);
		Watch watch = new Watch(request, Thread.currentThread());
		if (soft != null && (hard == null || soft.compareTo(hard) < 0)) {
			watch.add(schedule(() -> watch.soft(soft), soft));
		}
		if (hard != null) {
			watch.add(schedule(() -> watch.hard(() -> onHardLimit.accept(request, hard)), hard));
		}
		return watch;
	}

	private @Nullable ScheduledFuture<?> schedule(Runnable action, Duration delay) {
		try {
			return this.timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The worker is stopping; its shutdown timeout bounds the task instead.
			return null;
		}
	}

	private static @Nullable Duration limit(TaskRequest request, int index) {
		List<@Nullable Number> header = request.getMessage().headers().timeLimit();
		Number seconds = (header != null && header.size() > index) ? header.get(index) : null;
		if (seconds != null && seconds.doubleValue() > 0) {
			return Duration.ofNanos((long) (seconds.doubleValue() * 1e9));
		}
		TaskOptions options = request.getTask().options();
		return (index == 0) ? options.timeLimit() : options.softTimeLimit();
	}

	static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%s", duration.toNanos() / 1e9);
	}

	/**
	 * The timers of one running request.
	 */
	final class Watch {

		private final TaskRequest request;

		private final Thread thread;

		private final List<ScheduledFuture<?>> timers = new ArrayList<>();

		private boolean done;

		Watch(TaskRequest request, Thread thread) {
			this.request = request;
			this.thread = thread;
		}

		private synchronized void add(@Nullable ScheduledFuture<?> timer) {
			if (timer != null) {
				this.timers.add(timer);
			}
		}

		private synchronized void soft(Duration limit) {
			if (this.done) {
				return;
			}
			logger.warn("Soft time limit ({}s) exceeded for {}", seconds(limit), this.request);
			this.request.interruptBySoftTimeLimit();
		}

		private synchronized void hard(Runnable storeFailure) {
			if (this.done || !this.request.complete()) {
				return;
			}
			this.done = true;
			// As Celery's on_hard_timeout: the failure is stored before the pool gets its
			// replacement thread, so no task run by that thread finishes first. Under
			// this watch's lock the task thread cannot pass finish(): it is still inside
			// the task when the pool replaces it.
			try {
				storeFailure.run();
			}
			finally {
				TimeLimitSupervisor.this.replaceThread.accept(this.request, this.thread);
			}
		}

		/**
		 * End the watch when the task returned.
		 * @return whether the tracer ends the run, {@code false} if the hard limit took
		 * it
		 */
		synchronized boolean finish() {
			this.done = true;
			this.timers.forEach((timer) -> timer.cancel(false));
			return this.request.complete();
		}

	}

}
