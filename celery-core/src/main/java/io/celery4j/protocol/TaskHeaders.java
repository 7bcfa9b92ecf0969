package io.celery4j.protocol;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Headers of a protocol v2 task message, in the order Celery writes them (PROTOCOL.md
 * 1.2). Dates stay in their wire form (ISO 8601 strings); {@link CeleryDates} reads and
 * writes them.
 *
 * @param lang language of the producer ({@code py}, {@code java})
 * @param task registered task name the worker dispatches on
 * @param id task id, also the result key suffix
 * @param shadow alternative name used in logs only
 * @param eta earliest execution time, ISO 8601
 * @param expires expiry time, ISO 8601
 * @param group group id for members of a group or chord header
 * @param groupIndex position in a chord header
 * @param retries how many times the task has been retried
 * @param timeLimit {@code [hard, soft]} in seconds, each possibly null
 * @param rootId id of the first task of the workflow
 * @param parentId id of the task that sent this one
 * @param argsRepr Python repr of the positional arguments
 * @param kwargsRepr Python repr of the keyword arguments
 * @param origin sender node name ({@code gen<pid>@<host>})
 * @param ignoreResult whether the worker stores no result
 * @param extra headers not listed above (for example {@code redelivered}), kept as read
 */
public record TaskHeaders(String lang, String task, String id, @Nullable String shadow, @Nullable String eta,
		@Nullable String expires, @Nullable String group, @Nullable Integer groupIndex, int retries,
		List<@Nullable Number> timeLimit, String rootId, @Nullable String parentId, String argsRepr, String kwargsRepr,
		String origin, boolean ignoreResult, Map<String, @Nullable Object> extra) {

}
