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

	}

}
