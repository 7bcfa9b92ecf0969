package io.celery4j.task;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Chooses the queue of a task, as Celery does for {@code apply_async} on a task it knows:
 * <ol>
 * <li>the queue the caller asked for;</li>
 * <li>the task's own queue ({@code @CeleryTask(queue)}, Celery's {@code Task.queue}),
 * which Celery passes as an explicit option and so takes precedence over
 * {@code task_routes};</li>
 * <li>{@code task_routes}: a route whose key is exactly the task name, else the first
 * key, in the order given, that contains {@code *} and matches the name as a shell glob
 * ({@code *} any text, dots included; {@code ?} one character; {@code [seq]} and
 * {@code [!seq]} character sets). As in Celery, a key without {@code *} is a plain
 * name;</li>
 * <li>the default queue.</li>
 * </ol>
 * Counterpart of {@code celery.app.routes.Router} with {@code MapRoute}.
 */
public class TaskRouter {

	private final Map<String, String> names = new LinkedHashMap<>();

	private final Map<Pattern, String> patterns = new LinkedHashMap<>();

	private final TaskRegistry registry;

	private final String defaultQueue;

	/**
	 * Create a router.
	 * @param routes task name or glob ({@code tasks.*}) to queue; pass an ordered map
	 * when several globs can match the same name
	 * @param registry the local tasks, whose own queue applies
	 * @param defaultQueue the queue when nothing else applies
	 */
	public TaskRouter(Map<String, String> routes, TaskRegistry registry, String defaultQueue) {
		Assert.notNull(routes, "'routes' must not be null");
		Assert.notNull(registry, "'registry' must not be null");
		Assert.hasText(defaultQueue, "'defaultQueue' must not be empty");
		routes.forEach((key, queue) -> {
			Assert.hasText(queue, () -> "Queue of task route '" + key + "' must not be empty");
			if (key.indexOf('*') >= 0) {
				this.patterns.put(globToRegex(key), queue);
			}
			else {
				this.names.put(key, queue);
			}
		});
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
		TaskDefinition task = this.registry.find(taskName);
		String ownQueue = (task != null) ? task.options().queue() : null;
		if (ownQueue != null && !ownQueue.isEmpty()) {
			return ownQueue;
		}
		String named = this.names.get(taskName);
		if (named != null) {
			return named;
		}
		for (Map.Entry<Pattern, String> route : this.patterns.entrySet()) {
			if (route.getKey().matcher(taskName).matches()) {
				return route.getValue();
			}
		}
		return this.defaultQueue;
	}

	/**
	 * Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]},
	 * {@code [!seq]}; an unclosed {@code [} is a literal.
	 */
	private static Pattern globToRegex(String glob) {
		StringBuilder regex = new StringBuilder();
		int i = 0;
		while (i < glob.length()) {
			char c = glob.charAt(i++);
			if (c == '*') {
				regex.append(".*");
			}
			else if (c == '?') {
				regex.append('.');
			}
			else if (c == '[') {
				int end = classEnd(glob, i);
				if (end < 0) {
					regex.append("\\[");
				}
				else {
					String set = glob.substring(i, end).replace("\\", "\\\\").replace("[", "\\[").replace("&&", "&\\&");
					if (set.startsWith("!")) {
						set = "^" + set.substring(1);
					}
					else if (set.startsWith("^")) {
						set = "\\" + set;
					}
					regex.append('[').append(set).append(']');
					i = end + 1;
				}
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

	private static int classEnd(String glob, int start) {
		int j = start;
		if (j < glob.length() && glob.charAt(j) == '!') {
			j++;
		}
		if (j < glob.length() && glob.charAt(j) == ']') {
			j++;
		}
		int end = glob.indexOf(']', j);
		return end;
	}

	/**
	 * Return the local tasks this router consults.
	 * @return the registry
	 */
	public TaskRegistry getRegistry() {
		return this.registry;
	}

}
