package io.celery4j.worker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.BiFunction;

import io.celery4j.task.RateLimit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets rate-limited requests through to the pool as their task's token bucket allows, in
 * arrival order per task. A waiting request takes no pool thread and does not block the
 * fetch loop: it sits in the worker's scheduled set (a stop gives it back) and the eta
 * timer lets it through when a token is due. It keeps its prefetch slot, as in Celery.
 * Counterpart of the consumer's {@code _limit_task} and {@code _schedule_bucket_request}.
 */
final class RateLimiter {

	private static final Logger logger = LoggerFactory.getLogger(RateLimiter.class);

	private final ScheduledExecutorService timer;

	private final WorkerState state;

	private final BiFunction<String, RateLimit, TokenBucket> buckets;

	private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

	RateLimiter(ScheduledExecutorService timer, WorkerState state, BiFunction<String, RateLimit, TokenBucket> buckets) {
		this.timer = timer;
		this.state = state;
		this.buckets = buckets;
	}

	/**
	 * Pass the request to {@code next} now or when its task's bucket has a token.
	 * @param request the request
	 * @param limit its task's rate limit
	 * @param next what runs it
	 */
	void submit(TaskRequest request, RateLimit limit, Consumer<TaskRequest> next) {
		Lane lane = this.lanes.computeIfAbsent(request.getName(),
				(name) -> new Lane(this.buckets.apply(name, limit), limit, next));
		lane.limit(request.getName(), limit);
		this.state.schedule(request);
		lane.add(request);
		lane.drain();
	}

	private final class Lane {

		private TokenBucket bucket;

		private RateLimit limit;

		private final Consumer<TaskRequest> next;

		private final Deque<TaskRequest> waiting = new ArrayDeque<>();

		private boolean timerSet;

		Lane(TokenBucket bucket, RateLimit limit, Consumer<TaskRequest> next) {
			this.bucket = bucket;
			this.limit = limit;
			this.next = next;
		}

		/**
		 * Take a changed limit (the {@code rate_limit} remote control command) with a new
		 * bucket, as Celery's {@code reset_rate_limits}.
		 */
		synchronized void limit(String taskName, RateLimit limit) {
			if (!limit.equals(this.limit)) {
				this.bucket = RateLimiter.this.buckets.apply(taskName, limit);
				this.limit = limit;
				// Requests waiting for the old bucket's token ask the new one now.
				this.timerSet = false;
			}
		}

		synchronized void add(TaskRequest request) {
			this.waiting.add(request);
		}

		void drain() {
			while (true) {
				TaskRequest request = take();
				if (request == null) {
					return;
				}
				// A stop may have given it back from the scheduled set meanwhile.
				if (RateLimiter.this.state.unschedule(request)) {
					this.next.accept(request);
				}
			}
		}

		private synchronized @Nullable TaskRequest take() {
			if (this.waiting.isEmpty() || this.timerSet) {
				return null;
			}
			long wait;
			try {
				wait = this.bucket.tryTake();
			}
			catch (RuntimeException ex) {
				// A shared bucket whose Redis does not answer: try again shortly rather
				// than run over the limit.
				logger.warn("Rate limit of task {} could not be read: {}; retrying in 1s", this.waiting.peek(),
						ex.getMessage());
				wait = TimeUnit.SECONDS.toNanos(1);
			}
			if (wait == 0) {
				return this.waiting.poll();
			}
			schedule(wait);
			return null;
		}

		private void schedule(long nanos) {
			try {
				RateLimiter.this.timer.schedule(this::due, nanos, TimeUnit.NANOSECONDS);
				this.timerSet = true;
			}
			catch (RejectedExecutionException ex) {
				// The worker is stopping and gives back what is in the scheduled set.
			}
		}

		private void due() {
			synchronized (this) {
				this.timerSet = false;
			}
			drain();
		}

	}

}
