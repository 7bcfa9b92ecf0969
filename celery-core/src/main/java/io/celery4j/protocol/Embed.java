package io.celery4j.protocol;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Third element of the body: the canvas a worker continues with after the task
 * (PROTOCOL.md 1.3). Signatures stay in their JSON form (maps with {@code task},
 * {@code args}, {@code kwargs}, {@code options}, {@code subtask_type},
 * {@code immutable}).
 *
 * @param callbacks signatures to call with the result ({@code link})
 * @param errbacks signatures to call on failure ({@code link_error})
 * @param chain remaining chain steps, last element runs next
 * @param chord chord body signature for chord header members
 */
public record Embed(@Nullable List<Map<String, @Nullable Object>> callbacks,
		@Nullable List<Map<String, @Nullable Object>> errbacks, @Nullable List<Map<String, @Nullable Object>> chain,
		@Nullable Map<String, @Nullable Object> chord) {

	private static final Embed EMPTY = new Embed(null, null, null, null);

	/**
	 * Return an embed with no canvas.
	 * @return the empty embed
	 */
	public static Embed empty() {
		return EMPTY;
	}

}
