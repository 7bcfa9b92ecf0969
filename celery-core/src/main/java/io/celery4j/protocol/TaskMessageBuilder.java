package io.celery4j.protocol;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Builds a new {@link TaskMessage} with every header Celery's own producer writes
 * (PROTOCOL.md 1.2), so Python workers and monitors see nothing missing.
 */
public final class TaskMessageBuilder {

	private static final String ORIGIN = "gen" + ProcessHandle.current().pid() + "@" + hostname();

	private static final String REPLY_TO = UUID.randomUUID().toString();

	private final String taskName;

	private String id = UUID.randomUUID().toString();

	private List<@Nullable Object> args = new ArrayList<>();

	private Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();

	private Embed embed = Embed.empty();

	private String queue = "celery";

	private int priority;

	private @Nullable Instant eta;

	private @Nullable Instant expires;

	private ZoneId timezone = ZoneOffset.UTC;

	private @Nullable String group;

	private @Nullable Integer groupIndex;

	private int retries;

	private @Nullable Number hardTimeLimit;

	private @Nullable Number softTimeLimit;

	private @Nullable String parentId;

	private @Nullable String rootId;

	private boolean ignoreResult;

	private @Nullable String shadow;

	private String origin = ORIGIN;

	private String replyTo = REPLY_TO;

	private final Map<String, @Nullable Object> extraProperties = new LinkedHashMap<>();

	TaskMessageBuilder(String taskName) {
		Assert.hasText(taskName, "'taskName' must not be empty");
		this.taskName = taskName;
	}

	/**
	 * Set the task id; {@code null} keeps the generated one.
	 * @param id the id
	 * @return this builder
	 */
	public TaskMessageBuilder id(@Nullable String id) {
		if (id != null && !id.isEmpty()) {
			this.id = id;
		}
		return this;
	}

	/**
	 * Set the positional arguments (plain JSON values).
	 * @param args the arguments
	 * @return this builder
	 */
	public TaskMessageBuilder args(List<@Nullable Object> args) {
		this.args = new ArrayList<>(args);
		return this;
	}

	/**
	 * Set the keyword arguments (plain JSON values).
	 * @param kwargs the arguments
	 * @return this builder
	 */
	public TaskMessageBuilder kwargs(Map<String, @Nullable Object> kwargs) {
		this.kwargs = new LinkedHashMap<>(kwargs);
		return this;
	}

	/**
	 * Set the canvas the worker continues with.
	 * @param embed callbacks, errbacks, chain and chord
	 * @return this builder
	 */
	public TaskMessageBuilder embed(Embed embed) {
		this.embed = embed;
		return this;
	}

	/**
	 * Set the queue (routing key).
	 * @param queue the queue
	 * @return this builder
	 */
	public TaskMessageBuilder queue(String queue) {
		this.queue = queue;
		return this;
	}

	/**
	 * Set the priority, 0 to 9.
	 * @param priority the priority
	 * @return this builder
	 */
	public TaskMessageBuilder priority(int priority) {
		Assert.isTrue(priority >= 0 && priority <= 9, () -> "Priority must be 0 to 9, got " + priority);
		this.priority = priority;
		return this;
	}

	/**
	 * Set the earliest execution time.
	 * @param eta the time or {@code null}
	 * @return this builder
	 */
	public TaskMessageBuilder eta(@Nullable Instant eta) {
		this.eta = eta;
		return this;
	}

	/**
	 * Set the expiry time. Like Celery, the message then also carries kombu's
	 * {@code expiration} property (milliseconds from now), which AMQP brokers use as a
	 * TTL; Redis ignores it.
	 * @param expires the time or {@code null}
	 * @return this builder
	 */
	public TaskMessageBuilder expires(@Nullable Instant expires) {
		this.expires = expires;
		return this;
	}

	/**
	 * Set the zone whose offset eta and expires are written with (Celery's
	 * {@code timezone}).
	 * @param timezone the zone
	 * @return this builder
	 */
	public TaskMessageBuilder timezone(ZoneId timezone) {
		this.timezone = timezone;
		return this;
	}

	/**
	 * Set the group and the position in a chord header.
	 * @param group the group id or {@code null}
	 * @param groupIndex the index or {@code null}
	 * @return this builder
	 */
	public TaskMessageBuilder group(@Nullable String group, @Nullable Integer groupIndex) {
		this.group = group;
		this.groupIndex = groupIndex;
		return this;
	}

	/**
	 * Set the retry count.
	 * @param retries how many times the task was retried
	 * @return this builder
	 */
	public TaskMessageBuilder retries(int retries) {
		this.retries = retries;
		return this;
	}

	/**
	 * Set the time limits in seconds.
	 * @param hard the hard limit or {@code null}
	 * @param soft the soft limit or {@code null}
	 * @return this builder
	 */
	public TaskMessageBuilder timeLimit(@Nullable Number hard, @Nullable Number soft) {
		this.hardTimeLimit = hard;
		this.softTimeLimit = soft;
		return this;
	}

	/**
	 * Set the workflow ids of a task sent by another task.
	 * @param parentId the sending task's id, or {@code null}
	 * @param rootId the workflow's first task id, or {@code null} for this task's id
	 * @return this builder
	 */
	public TaskMessageBuilder parent(@Nullable String parentId, @Nullable String rootId) {
		this.parentId = parentId;
		this.rootId = rootId;
		return this;
	}

	/**
	 * Set whether the worker stores no result.
	 * @param ignoreResult the flag
	 * @return this builder
	 */
	public TaskMessageBuilder ignoreResult(boolean ignoreResult) {
		this.ignoreResult = ignoreResult;
		return this;
	}

	/**
	 * Set the name shown in logs instead of the task name.
	 * @param shadow the name or {@code null}
	 * @return this builder
	 */
	public TaskMessageBuilder shadow(@Nullable String shadow) {
		this.shadow = shadow;
		return this;
	}

	/**
	 * Set the sender's node name.
	 * @param origin for example {@code gen1234@host}
	 * @return this builder
	 */
	public TaskMessageBuilder origin(String origin) {
		this.origin = origin;
		return this;
	}

	/**
	 * Set the id of the sending process ({@code properties.reply_to}).
	 * @param replyTo the id
	 * @return this builder
	 */
	public TaskMessageBuilder replyTo(String replyTo) {
		this.replyTo = replyTo;
		return this;
	}

	/**
	 * Add a property beyond kombu's standard ones (for example
	 * {@code replaced_task_nesting} on a retry).
	 * @param name the property name
	 * @param value the value
	 * @return this builder
	 */
	public TaskMessageBuilder property(String name, @Nullable Object value) {
		this.extraProperties.put(name, value);
		return this;
	}

	/**
	 * Build the message.
	 * @return the message
	 */
	public TaskMessage build() {
		String root = (this.rootId != null) ? this.rootId : this.id;
		TaskHeaders headers = new TaskHeaders("java", this.taskName, this.id, this.shadow, date(this.eta),
				date(this.expires), this.group, this.groupIndex, this.retries,
				Arrays.asList(this.hardTimeLimit, this.softTimeLimit), root, this.parentId, PythonRepr.args(this.args),
				PythonRepr.kwargs(this.kwargs), this.origin, this.ignoreResult, Map.of());
		Map<String, @Nullable Object> extra = new LinkedHashMap<>(this.extraProperties);
		if (this.expires != null && !extra.containsKey("expiration")) {
			// As Celery's send_task: kombu's TTL in milliseconds, never negative.
			long millis = Math.max(0, Duration.between(Instant.now(), this.expires).toMillis());
			extra.put("expiration", String.valueOf(millis));
		}
		MessageProperties properties = new MessageProperties(this.id, this.replyTo, 2, "", this.queue, this.priority,
				UUID.randomUUID().toString(), extra);
		return new TaskMessage(headers, properties, this.args, this.kwargs, this.embed);
	}

	private @Nullable String date(@Nullable Instant instant) {
		return (instant != null) ? CeleryDates.format(instant, this.timezone) : null;
	}

	/**
	 * Return this process's node name as Celery writes it in {@code origin}.
	 * @return {@code gen<pid>@<host>}
	 */
	public static String processOrigin() {
		return ORIGIN;
	}

	/**
	 * Return this process's id as Celery writes it in {@code properties.reply_to} and in
	 * the {@code reply_to} option of the signatures it freezes (Celery's
	 * {@code app.thread_oid}).
	 * @return a UUID chosen once per process
	 */
	public static String processReplyTo() {
		return REPLY_TO;
	}

	private static String hostname() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String name = ManagementFactory.getRuntimeMXBean().getName();
			int at = name.indexOf('@');
			return (at >= 0) ? name.substring(at + 1) : "localhost";
		}
	}

}
