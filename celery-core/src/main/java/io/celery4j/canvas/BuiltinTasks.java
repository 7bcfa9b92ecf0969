package io.celery4j.canvas;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Names of Celery's built-in canvas tasks ({@code celery/app/builtins.py}).
 */
public final class BuiltinTasks {

	/** Runs a task once per item, in one worker: {@code [task(item) for item in it]}. */
	public static final String MAP = "celery.map";

	/** Runs a task once per argument list: {@code [task(*item) for item in it]}. */
	public static final String STARMAP = "celery.starmap";

	/** Splits an iterable into a group of {@code celery.starmap} chunks of n items. */
	public static final String CHUNKS = "celery.chunks";

	private BuiltinTasks() {
	}

	/**
	 * Return the group a {@code celery.chunks} signature stands for, as Celery's
	 * {@code chunks.group()}: one {@code celery.starmap} task per chunk of {@code n}
	 * argument lists, in order.
	 * @param chunks a signature of {@code celery.chunks} with {@code kwargs.task},
	 * {@code kwargs.it} and {@code kwargs.n}
	 * @return the group
	 * @throws IllegalArgumentException if the signature is not such a chunks signature;
	 * the message names the field
	 */
	public static Group chunksGroup(Signature chunks) {
		if (!CHUNKS.equals(chunks.task())) {
			throw new IllegalArgumentException("Signature " + chunks.task() + " is not " + CHUNKS);
		}
		// fromJson checks task, it and n with field paths.
		Signature checked = Signature.fromJson(chunks.toJson());
		Signature task = SignatureJson.read(checked.kwargs().get("task"), "kwargs.task");
		List<?> items = (List<?>) checked.kwargs().get("it");
		int n = (Integer) checked.kwargs().get("n");
		List<Signature> parts = new ArrayList<>();
		for (int start = 0; start < items.size(); start += n) {
			List<List<?>> part = new ArrayList<>();
			for (Object item : items.subList(start, Math.min(items.size(), start + n))) {
				part.add(starmapArguments(item, start + part.size()));
			}
			parts.add(task.starmap(part));
		}
		return Group.of(parts);
	}

	/**
	 * Return one item of a starmap or chunks as the argument list it must be.
	 * @param item the item
	 * @param index its position, for the error message
	 * @return the arguments
	 * @throws IllegalArgumentException if the item is not a list
	 */
	public static List<?> starmapArguments(@Nullable Object item, int index) {
		if (!(item instanceof List<?> arguments)) {
			throw new IllegalArgumentException("Item " + index
					+ " of a starmap or chunks must be a list of arguments, got " + SignatureJson.describe(item));
		}
		return arguments;
	}

}
