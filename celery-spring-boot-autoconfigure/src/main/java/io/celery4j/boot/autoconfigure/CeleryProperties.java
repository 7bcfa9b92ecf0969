package io.celery4j.boot.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.worker.pool.PoolType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties for Celery, named after Celery's settings in kebab case.
 */
@ConfigurationProperties("celery")
public class CeleryProperties {

	/**
	 * Broker URL: redis://[[user]:password@]host[:port][/db], rediss://... for TLS, or
	 * memory:// for an in-process broker that only this application sees. Same as
	 * Celery's broker_url.
	 */
	private String brokerUrl = "memory://";

	/**
	 * Result backend URL: redis://..., rediss://..., memory://, or 'disabled' to store no
	 * results. When not set, results go where the broker is. Same as Celery's
	 * result_backend.
	 */
	private @Nullable String resultBackend;

	/**
	 * Time a stored result is kept before it expires. If a duration suffix is not
	 * specified, seconds will be used. Same as Celery's result_expires.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration resultExpires = Duration.ofDays(1);

	/**
	 * Time zone for eta, expires and schedules given without an offset. Same as Celery's
	 * timezone.
	 */
	private ZoneId timezone = ZoneId.of("UTC");

	/**
	 * Whether to use the application's RedisConnectionFactory (spring.data.redis.*) for
	 * the broker instead of celery.broker-url, and for the result backend unless
	 * celery.result-backend is set. Celery has no equivalent.
	 */
	private boolean useSpringDataRedis;

	private final BrokerTransportOptions brokerTransportOptions = new BrokerTransportOptions();

	private final Worker worker = new Worker();

	private final Task task = new Task();

	private final Beat beat = new Beat();

	private final Api api = new Api();

	public String getBrokerUrl() {
		return this.brokerUrl;
	}

	public void setBrokerUrl(String brokerUrl) {
		this.brokerUrl = brokerUrl;
	}

	public @Nullable String getResultBackend() {
		return this.resultBackend;
	}

	public void setResultBackend(@Nullable String resultBackend) {
		this.resultBackend = resultBackend;
	}

	public Duration getResultExpires() {
		return this.resultExpires;
	}

	public void setResultExpires(Duration resultExpires) {
		this.resultExpires = resultExpires;
	}

	public ZoneId getTimezone() {
		return this.timezone;
	}

	public void setTimezone(ZoneId timezone) {
		this.timezone = timezone;
	}

	public boolean isUseSpringDataRedis() {
		return this.useSpringDataRedis;
	}

	public void setUseSpringDataRedis(boolean useSpringDataRedis) {
		this.useSpringDataRedis = useSpringDataRedis;
	}

	public BrokerTransportOptions getBrokerTransportOptions() {
		return this.brokerTransportOptions;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Task getTask() {
		return this.task;
	}

	public Beat getBeat() {
		return this.beat;
	}

	public Api getApi() {
		return this.api;
	}

	/**
	 * Transport options of the broker. Same as Celery's broker_transport_options.
	 */
	public static class BrokerTransportOptions {

		/**
		 * Time a fetched, unacknowledged message may stay with a worker before any worker
		 * gives it back to its queue; must exceed the longest eta or countdown in use. If
		 * a duration suffix is not specified, seconds will be used. Same as Celery's
		 * broker_transport_options visibility_timeout.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration visibilityTimeout = Duration.ofHours(1);

		public Duration getVisibilityTimeout() {
			return this.visibilityTimeout;
		}

		public void setVisibilityTimeout(Duration visibilityTimeout) {
			this.visibilityTimeout = visibilityTimeout;
		}

	}

	/**
	 * Worker settings.
	 */
	public static class Worker {

		/**
		 * Whether to run a worker in this application; without one it still sends tasks
		 * and reads results. Celery has no equivalent.
		 */
		private boolean enabled = true;

		/**
		 * Node name of the worker, with %h (host name), %n (host name up to the first
		 * dot) and %d (domain) expanded; celery@%h when not set. Same as 'celery worker
		 * -n'.
		 */
		private @Nullable String name;

		/**
		 * Number of tasks run at once; the number of available processors when not set.
		 * Same as Celery's worker_concurrency.
		 */
		private @Nullable Integer concurrency;

		/**
		 * Execution pool: 'threads', 'virtual' (virtual threads, Java 21 or later) or
		 * 'solo'. Same as Celery's worker_pool.
		 */
		private PoolType pool = PoolType.THREADS;

		/**
		 * Comma-separated list of queues to consume from. Same as 'celery worker -Q'.
		 */
		private List<String> queues = new ArrayList<>(List.of("celery"));

		/**
		 * Number of messages reserved per pool slot; 0 means no limit. Same as Celery's
		 * worker_prefetch_multiplier.
		 */
		private int prefetchMultiplier = 4;

		/**
		 * Time stopping the application waits for running tasks to finish. If a duration
		 * suffix is not specified, seconds will be used. Celery has no equivalent.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * Whether the worker sends task-related events (task-received, task-started,
		 * task-succeeded, ...) for monitors such as Flower and 'celery events'. Same as
		 * Celery's worker_send_task_events.
		 */
		private boolean sendTaskEvents;

		/**
		 * Interval between worker-heartbeat events. If a duration suffix is not
		 * specified, seconds will be used. Same as 'celery worker --heartbeat-interval'.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration heartbeatInterval = Duration.ofSeconds(2);

		/**
		 * Whether the 'shutdown' remote control command ('celery control shutdown') stops
		 * this worker; otherwise it is answered with an error. Celery has no equivalent.
		 */
		private boolean remoteShutdown;

		/**
		 * File that keeps the worker's revoked task ids across restarts (a JSON file, not
		 * Celery's shelve), with %n, %h, %d and %p expanded from the node name; none when
		 * not set. Same as 'celery worker --statedb' (Celery's worker_state_db).
		 */
		private @Nullable String stateDb;

		/**
		 * Whether the worker asks the other workers for their revoked task ids and clock
		 * when it starts (on Redis). Same as 'celery worker --without-mingle' when false.
		 */
		private boolean mingle = true;

		public @Nullable String getStateDb() {
			return this.stateDb;
		}

		public void setStateDb(@Nullable String stateDb) {
			this.stateDb = stateDb;
		}

		public boolean isMingle() {
			return this.mingle;
		}

		public void setMingle(boolean mingle) {
			this.mingle = mingle;
		}

		public boolean isSendTaskEvents() {
			return this.sendTaskEvents;
		}

		public void setSendTaskEvents(boolean sendTaskEvents) {
			this.sendTaskEvents = sendTaskEvents;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public boolean isRemoteShutdown() {
			return this.remoteShutdown;
		}

		public void setRemoteShutdown(boolean remoteShutdown) {
			this.remoteShutdown = remoteShutdown;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public PoolType getPool() {
			return this.pool;
		}

		public void setPool(PoolType pool) {
			this.pool = pool;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public int getPrefetchMultiplier() {
			return this.prefetchMultiplier;
		}

		public void setPrefetchMultiplier(int prefetchMultiplier) {
			this.prefetchMultiplier = prefetchMultiplier;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

	}

	/**
	 * Task defaults.
	 */
	public static class Task {

		/**
		 * Queue for tasks with no route and no queue of their own. Same as Celery's
		 * task_default_queue.
		 */
		private String defaultQueue = "celery";

		/**
		 * Whether tasks acknowledge their message after they ran instead of before. Same
		 * as Celery's task_acks_late.
		 */
		private boolean acksLate;

		/**
		 * Whether tasks store no result. Same as Celery's task_ignore_result.
		 */
		private boolean ignoreResult;

		/**
		 * Queue per task name or glob pattern such as 'reports.*'; the first match in
		 * declaration order wins. Same as Celery's task_routes.
		 */
		private Map<String, String> routes = new LinkedHashMap<>();

		/**
		 * Hard time limit of tasks: the task is stopped and fails with TimeLimitExceeded.
		 * If a duration suffix is not specified, seconds will be used. Same as Celery's
		 * task_time_limit.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration timeLimit;

		/**
		 * Soft time limit of tasks: the task's thread is interrupted and the task fails
		 * with SoftTimeLimitExceeded unless it catches the interrupt. If a duration
		 * suffix is not specified, seconds will be used. Same as Celery's
		 * task_soft_time_limit.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration softTimeLimit;

		/**
		 * Rate limit of tasks without their own, such as '10/s', '500/m', '100/h' or a
		 * number of tasks per second; counted per worker. Same as Celery's
		 * task_default_rate_limit.
		 */
		private @Nullable String defaultRateLimit;

		public @Nullable Duration getTimeLimit() {
			return this.timeLimit;
		}

		public void setTimeLimit(@Nullable Duration timeLimit) {
			this.timeLimit = timeLimit;
		}

		public @Nullable Duration getSoftTimeLimit() {
			return this.softTimeLimit;
		}

		public void setSoftTimeLimit(@Nullable Duration softTimeLimit) {
			this.softTimeLimit = softTimeLimit;
		}

		public @Nullable String getDefaultRateLimit() {
			return this.defaultRateLimit;
		}

		public void setDefaultRateLimit(@Nullable String defaultRateLimit) {
			this.defaultRateLimit = defaultRateLimit;
		}

		/**
		 * Whether the client sends a task-sent event for every task it sends. Same as
		 * Celery's task_send_sent_event.
		 */
		private boolean sendSentEvent;

		public boolean isSendSentEvent() {
			return this.sendSentEvent;
		}

		public void setSendSentEvent(boolean sendSentEvent) {
			this.sendSentEvent = sendSentEvent;
		}

		/**
		 * How many times a task may be retried; -1 for no limit. Celery has no setting
		 * (its Task.max_retries attribute).
		 */
		private int maxRetries = 3;

		/**
		 * Delay of a retry that sets neither countdown nor eta. If a duration suffix is
		 * not specified, seconds will be used. Celery has no setting (its
		 * Task.default_retry_delay attribute).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration defaultRetryDelay = Duration.ofSeconds(180);

		/**
		 * Factor of the exponential backoff of automatic retries (autoretry-for), 0 for
		 * none. If a duration suffix is not specified, seconds will be used. Celery has
		 * no setting (its Task.retry_backoff attribute).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration retryBackoff = Duration.ZERO;

		/**
		 * Upper bound of the backoff of automatic retries. If a duration suffix is not
		 * specified, seconds will be used. Celery has no setting (its
		 * Task.retry_backoff_max attribute).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration retryBackoffMax = Duration.ofSeconds(600);

		/**
		 * Whether the backoff of automatic retries is drawn at random up to its value.
		 * Celery has no setting (its Task.retry_jitter attribute).
		 */
		private boolean retryJitter = true;

		/**
		 * Whether tasks store STARTED with the worker's pid and hostname before running.
		 * Same as Celery's task_track_started.
		 */
		private boolean trackStarted;

		/**
		 * Whether tasks that ignore their result still store FAILURE and RETRY. Same as
		 * Celery's task_store_errors_even_if_ignored.
		 */
		private boolean storeErrorsEvenIfIgnored;

		public String getDefaultQueue() {
			return this.defaultQueue;
		}

		public void setDefaultQueue(String defaultQueue) {
			this.defaultQueue = defaultQueue;
		}

		public boolean isAcksLate() {
			return this.acksLate;
		}

		public void setAcksLate(boolean acksLate) {
			this.acksLate = acksLate;
		}

		public boolean isIgnoreResult() {
			return this.ignoreResult;
		}

		public void setIgnoreResult(boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
		}

		public Map<String, String> getRoutes() {
			return this.routes;
		}

		public void setRoutes(Map<String, String> routes) {
			this.routes = routes;
		}

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getDefaultRetryDelay() {
			return this.defaultRetryDelay;
		}

		public void setDefaultRetryDelay(Duration defaultRetryDelay) {
			this.defaultRetryDelay = defaultRetryDelay;
		}

		public Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public Duration getRetryBackoffMax() {
			return this.retryBackoffMax;
		}

		public void setRetryBackoffMax(Duration retryBackoffMax) {
			this.retryBackoffMax = retryBackoffMax;
		}

		public boolean isRetryJitter() {
			return this.retryJitter;
		}

		public void setRetryJitter(boolean retryJitter) {
			this.retryJitter = retryJitter;
		}

		public boolean isTrackStarted() {
			return this.trackStarted;
		}

		public void setTrackStarted(boolean trackStarted) {
			this.trackStarted = trackStarted;
		}

		public boolean isStoreErrorsEvenIfIgnored() {
			return this.storeErrorsEvenIfIgnored;
		}

		public void setStoreErrorsEvenIfIgnored(boolean storeErrorsEvenIfIgnored) {
			this.storeErrorsEvenIfIgnored = storeErrorsEvenIfIgnored;
		}

		/**
		 * Whether an acks-late task's message goes back to its queue instead of being
		 * acknowledged as FAILURE WorkerLostError when its worker stops while the task
		 * still runs past the shutdown timeout. Same as Celery's
		 * task_reject_on_worker_lost.
		 */
		private boolean rejectOnWorkerLost;

		/**
		 * Whether the client runs tasks in the calling thread instead of sending them to
		 * the broker, for tests. Same as Celery's task_always_eager.
		 */
		private boolean alwaysEager;

		/**
		 * Whether a task run eagerly throws its exception from the client's send instead
		 * of returning a failed result. Same as Celery's task_eager_propagates.
		 */
		private boolean eagerPropagates;

		/**
		 * Whether tasks run eagerly also store their results in the result backend. Same
		 * as Celery's task_store_eager_result.
		 */
		private boolean storeEagerResult;

		public boolean isRejectOnWorkerLost() {
			return this.rejectOnWorkerLost;
		}

		public void setRejectOnWorkerLost(boolean rejectOnWorkerLost) {
			this.rejectOnWorkerLost = rejectOnWorkerLost;
		}

		public boolean isAlwaysEager() {
			return this.alwaysEager;
		}

		public void setAlwaysEager(boolean alwaysEager) {
			this.alwaysEager = alwaysEager;
		}

		public boolean isEagerPropagates() {
			return this.eagerPropagates;
		}

		public void setEagerPropagates(boolean eagerPropagates) {
			this.eagerPropagates = eagerPropagates;
		}

		public boolean isStoreEagerResult() {
			return this.storeEagerResult;
		}

		public void setStoreEagerResult(boolean storeEagerResult) {
			this.storeEagerResult = storeEagerResult;
		}

	}

	/**
	 * Beat settings: the periodic task scheduler.
	 */
	public static class Beat {

		/**
		 * Whether to run beat in this application; on when not set, and then beat only
		 * starts when a schedule exists (celery.beat.schedule or @Periodic). Same as
		 * 'celery worker -B'.
		 */
		private @Nullable Boolean enabled;

		/**
		 * How long the beat leader's lock lasts without renewal: the longest another
		 * instance waits to take over from a leader that died. If a duration suffix is
		 * not specified, seconds will be used. Celery has no equivalent.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration lockTimeout = Duration.ofSeconds(30);

		/**
		 * Prefix of the Redis keys holding the leader lock and the last runs; give each
		 * application sharing a Redis database its own. Celery has no equivalent.
		 */
		private String keyPrefix = "celery-beat";

		/**
		 * Schedule entries by entry name. Same as Celery's beat_schedule.
		 */
		private Map<String, Entry> schedule = new LinkedHashMap<>();

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getLockTimeout() {
			return this.lockTimeout;
		}

		public void setLockTimeout(Duration lockTimeout) {
			this.lockTimeout = lockTimeout;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Map<String, Entry> getSchedule() {
			return this.schedule;
		}

		public void setSchedule(Map<String, Entry> schedule) {
			this.schedule = schedule;
		}

		/**
		 * One entry of the beat schedule.
		 */
		public static class Entry {

			/**
			 * Name of the task to send; the task may run on any worker, Java or Python.
			 */
			private @Nullable String task;

			/**
			 * Cron expression: 5 fields as Celery's crontab, 6 fields with seconds first,
			 * or a macro such as @daily.
			 */
			private @Nullable String cron;

			/**
			 * Period between runs. If a duration suffix is not specified, seconds will be
			 * used.
			 */
			@DurationUnit(ChronoUnit.SECONDS)
			private @Nullable Duration every;

			/**
			 * Positional arguments, each a JSON value (2, "text", [1, 2]) or else a
			 * string.
			 */
			private List<String> args = new ArrayList<>();

			/**
			 * Keyword arguments, each a JSON value or else a string.
			 */
			private Map<String, String> kwargs = new LinkedHashMap<>();

			/**
			 * Queue to send to; the task's route when not set.
			 */
			private @Nullable String queue;

			/**
			 * Time after sending when the task expires unless started. If a duration
			 * suffix is not specified, seconds will be used.
			 */
			@DurationUnit(ChronoUnit.SECONDS)
			private @Nullable Duration expires;

			/**
			 * Zone of the cron expression; celery.timezone when not set.
			 */
			private @Nullable ZoneId zone;

			public @Nullable String getTask() {
				return this.task;
			}

			public void setTask(@Nullable String task) {
				this.task = task;
			}

			public @Nullable String getCron() {
				return this.cron;
			}

			public void setCron(@Nullable String cron) {
				this.cron = cron;
			}

			public @Nullable Duration getEvery() {
				return this.every;
			}

			public void setEvery(@Nullable Duration every) {
				this.every = every;
			}

			public List<String> getArgs() {
				return this.args;
			}

			public void setArgs(List<String> args) {
				this.args = args;
			}

			public Map<String, String> getKwargs() {
				return this.kwargs;
			}

			public void setKwargs(Map<String, String> kwargs) {
				this.kwargs = kwargs;
			}

			public @Nullable String getQueue() {
				return this.queue;
			}

			public void setQueue(@Nullable String queue) {
				this.queue = queue;
			}

			public @Nullable Duration getExpires() {
				return this.expires;
			}

			public void setExpires(@Nullable Duration expires) {
				this.expires = expires;
			}

			public @Nullable ZoneId getZone() {
				return this.zone;
			}

			public void setZone(@Nullable ZoneId zone) {
				this.zone = zone;
			}

		}

	}

	/**
	 * Flower-compatible HTTP API and dashboard.
	 */
	public static class Api {

		/**
		 * Whether to serve the Flower-compatible HTTP API under /api and the dashboard
		 * under /celery. Celery has no equivalent (Flower serves these).
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
