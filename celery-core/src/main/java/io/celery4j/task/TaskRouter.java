package io.celery4j.task;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Chooses the queue of a task sent without an explicit queue, like Celery's
 * {@code task_routes} with glob patterns: the first matching route wins, then the task's
 * own queue, then the default queue. Counterpart of {@code celery.app.routes.Router}.
 */
public class TaskRouter {

	private final Map<Pattern, String> routes = new LinkedHashMap<>();

	private final TaskRegistry registry;

	private final String defaultQueue;

	/**
	 * Create a router.
	 * @param routes task name or glob ({@code tasks.*}) to queue, in order of precedence
	 * @param registry the local tasks, whose own queue applies when no route matches
	 * @param defaultQueue the queue when nothing else applies
	 */
	public TaskRouter(Map<String, String> routes, TaskRegistry registry, String defaultQueue) {
		Assert.hasText(defaultQueue, "'defaultQueue' must not be empty");
		routes.forEach((glob, queue) -> this.routes.put(globToRegex(glob), queue));
		this.registry = registry;
		this.defaultQueue = defaultQueue;
	}

	/**
	 * Return the queue for a task.
	 * @param taskName the task name
	 * @param explicitQueue the queue the caller asked for, if any
	 * @return the queue
	 */
	public String route(String taskName, @Nullable String explicitQueue) {
		if (explicitQueue != null && !explicitQueue.isEmpty()) {
			return explicitQueue;
		}
		for (Map.Entry<Pattern, String> route : this.routes.entrySet()) {
			if (route.getKey().matcher(taskName).matches()) {
				return route.getValue();
			}
		}
		TaskDefinition task = this.registry.find(taskName);
		if (task != null && task.options().queue() != null) {
			return task.options().queue();
		}
		return this.defaultQueue;
	}

	private static Pattern globToRegex(String glob) {
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString());
	}

}
