package io.celery4j.canvas;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.CeleryDates;
import io.celery4j.protocol.Embed;
import io.celery4j.protocol.TaskMessageBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Applies a signature's {@code apply_async} options to a task message as Celery's
 * {@code Task.apply_async} and {@code app.send_task} do. Options that only matter to AMQP
 * or to Python's producer ({@code exchange}, {@code serializer}, {@code headers}, ...)
 * are left out, as on Redis they change nothing a worker sees.
 */
final class SignatureOptions {

	private final Signature signature;

	private final Map<String, @Nullable Object> options;

	private SignatureOptions(Signature signature) {
		this.signature = signature;
		this.options = signature.options();
	}

	static TaskMessageBuilder apply(Signature signature, TaskMessageBuilder builder, String defaultQueue,
			ZoneId timezone, Instant now) {
		return new SignatureOptions(signature).applyTo(builder, defaultQueue, timezone, now);
	}

	private TaskMessageBuilder applyTo(TaskMessageBuilder builder, String defaultQueue, ZoneId timezone, Instant now) {
		String queue = string("queue");
		if (queue == null) {
			queue = string("routing_key");
		}
		builder.id(string("task_id"))
			.args(this.signature.args())
			.kwargs(this.signature.kwargs())
			.queue((queue != null) ? queue : defaultQueue)
			.timezone(timezone)
			.eta(eta(now, timezone))
			.expires(expires(now, timezone))
			.group(string("group_id"), integer("group_index"))
			.parent(string("parent_id"), string("root_id"))
			.timeLimit(number("time_limit"), number("soft_time_limit"))
			.ignoreResult(Boolean.TRUE.equals(bool("ignore_result")))
			.shadow(string("shadow"))
			.embed(embed());
		Integer priority = integer("priority");
		if (priority != null) {
			if (priority < 0 || priority > 9) {
				throw invalid("priority", "an integer 0 to 9", priority);
			}
			builder.priority(priority);
		}
		Integer retries = integer("retries");
		if (retries != null) {
			builder.retries(retries);
		}
		String replyTo = string("reply_to");
		if (replyTo != null) {
			builder.replyTo(replyTo);
		}
		return builder;
	}

	private Embed embed() {
		List<Map<String, @Nullable Object>> callbacks = jsonList("link");
		List<Map<String, @Nullable Object>> errbacks = jsonList("link_error");
		List<Map<String, @Nullable Object>> chain = null;
		if (this.options.get("chain") != null) {
			chain = SignatureJson.readAll(this.options.get("chain"), "options.chain")
				.stream()
				.map(Signature::toJson)
				.toList();
		}
		Map<String, @Nullable Object> chord = null;
		if (this.options.get("chord") != null) {
			chord = SignatureJson.read(this.options.get("chord"), "options.chord").toJson();
		}
		return new Embed(callbacks, errbacks, chain, chord);
	}

	private @Nullable List<Map<String, @Nullable Object>> jsonList(String name) {
		List<Signature> signatures = SignatureJson.signatures(this.options.get(name), "options." + name);
		return signatures.isEmpty() ? null : signatures.stream().map(Signature::toJson).toList();
	}

	private @Nullable Instant eta(Instant now, ZoneId timezone) {
		Object countdown = this.options.get("countdown");
		if (countdown != null) {
			if (!(countdown instanceof Number seconds)) {
				throw invalid("countdown", "a number of seconds", countdown);
			}
			return now.plusNanos((long) (seconds.doubleValue() * 1e9));
		}
		return date("eta", timezone);
	}

	private @Nullable Instant expires(Instant now, ZoneId timezone) {
		Object expires = this.options.get("expires");
		if (expires instanceof Number seconds) {
			return now.plusNanos((long) (seconds.doubleValue() * 1e9));
		}
		return date("expires", timezone);
	}

	private @Nullable Instant date(String name, ZoneId timezone) {
		Object value = this.options.get(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof String text)) {
			throw invalid(name, "an ISO 8601 date" + ("expires".equals(name) ? " or a number of seconds" : ""), value);
		}
		try {
			return CeleryDates.parse(text, timezone);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(name, "an ISO 8601 date", value);
		}
	}

	private @Nullable String string(String name) {
		Object value = this.options.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof String text) {
			return text.isEmpty() ? null : text;
		}
		throw invalid(name, "a string", value);
	}

	private @Nullable Integer integer(String name) {
		Object value = this.options.get(name);
		if (value == null || value instanceof Integer) {
			return (Integer) value;
		}
		throw invalid(name, "an integer", value);
	}

	private @Nullable Number number(String name) {
		Object value = this.options.get(name);
		if (value == null || value instanceof Number) {
			return (Number) value;
		}
		throw invalid(name, "a number of seconds", value);
	}

	private @Nullable Boolean bool(String name) {
		Object value = this.options.get(name);
		if (value == null || value instanceof Boolean) {
			return (Boolean) value;
		}
		throw invalid(name, "true or false", value);
	}

	private IllegalArgumentException invalid(String name, String expected, @Nullable Object value) {
		return new IllegalArgumentException("Signature " + this.signature.task() + " option '" + name + "' must be "
				+ expected + ", got " + SignatureJson.describe(value));
	}

}
