package io.celery4j.canvas;

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

}
