package io.celery4j.boot.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.celery4j.client.SendOptions;
import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

import org.springframework.http.HttpStatus;

/**
 * The body of Flower's {@code async-apply} and {@code send-task}: {@code {"args",
 * "kwargs", "countdown", "eta", "expires", "queue"}}, all optional. Dates are ISO 8601
 * with an offset, or without one meaning UTC; {@code expires} may also be seconds from
 * now.
 *
 * @param args positional arguments
 * @param kwargs keyword arguments
 * @param options the send options
 */
public record TaskApplyRequest(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs, SendOptions options) {

	private static final Set<String> FIELDS = Set.of("args", "kwargs", "countdown", "eta", "expires", "queue");

	/**
	 * Read a request body.
	 * @param body the JSON text, blank for none
	 * @return the request
	 * @throws ApiException (400) naming the field and what it expects
	 */
	public static TaskApplyRequest parse(@Nullable String body) {
		if (body == null || body.isBlank()) {
			return new TaskApplyRequest(List.of(), Map.of(), SendOptions.defaults());
		}
		Object value;
		try {
			value = Json.read(body);
		}
		catch (JacksonException ex) {
			throw badRequest("Malformed JSON body: " + ex.getOriginalMessage());
		}
		if (!(value instanceof Map<?, ?> fields)) {
			throw badRequest("Body must be a JSON object with any of " + FIELDS + ", got " + describe(value));
		}
		for (Object key : fields.keySet()) {
			if (!FIELDS.contains(key)) {
				throw badRequest("Unknown field '" + key + "' in the body; accepted fields are " + FIELDS);
			}
		}
		SendOptions options = SendOptions.defaults();
		Object countdown = fields.get("countdown");
		if (countdown != null) {
			options = options.countdown(seconds("countdown", countdown));
		}
		Object eta = fields.get("eta");
		if (eta != null) {
			options = options.eta(instant("eta", eta));
		}
		Object expires = fields.get("expires");
		if (expires != null) {
			options = (expires instanceof Number) ? options.expires(seconds("expires", expires))
					: options.expires(instant("expires", expires));
		}
		Object queue = fields.get("queue");
		if (queue != null) {
			if (!(queue instanceof String name) || name.isBlank()) {
				throw badRequest("Field 'queue': expected a queue name, got " + describe(queue));
			}
			options = options.queue(name);
		}
		return new TaskApplyRequest(args(fields.get("args")), kwargs(fields.get("kwargs")), options);
	}

	private static List<@Nullable Object> args(@Nullable Object value) {
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> list)) {
			throw badRequest("Field 'args': expected a JSON array, got " + describe(value));
		}
		return new ArrayList<>(list);
	}

	private static Map<String, @Nullable Object> kwargs(@Nullable Object value) {
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw badRequest("Field 'kwargs': expected a JSON object, got " + describe(value));
		}
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		map.forEach((key, argument) -> kwargs.put(String.valueOf(key), argument));
		return kwargs;
	}

	private static Duration seconds(String field, Object value) {
		if (!(value instanceof Number number) || number.doubleValue() < 0 || Double.isNaN(number.doubleValue())) {
			throw badRequest("Field '" + field + "': expected a number of seconds (0 or more), got " + describe(value));
		}
		return Duration.ofNanos(Math.round(number.doubleValue() * 1e9));
	}

	private static Instant instant(String field, Object value) {
		if (value instanceof String text) {
			try {
				return OffsetDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException ex) {
				try {
					return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
				}
				catch (DateTimeParseException ignored) {
					// Reported below with the accepted forms.
				}
			}
		}
		String accepted = "expires".equals(field) ? "seconds or an ISO 8601 date" : "an ISO 8601 date";
		throw badRequest("Field '" + field + "': expected " + accepted
				+ " such as 2026-01-01T12:00:00+00:00 (no offset means UTC), got " + describe(value));
	}

	private static String describe(@Nullable Object value) {
		String type = (value == null) ? "null" : (value instanceof String) ? "string" : (value instanceof Number)
				? "number" : (value instanceof Boolean) ? "boolean" : (value instanceof List) ? "array" : "object";
		return Json.write(value) + " (" + type + ")";
	}

	private static ApiException badRequest(String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, message);
	}

}
