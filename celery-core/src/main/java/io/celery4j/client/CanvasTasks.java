package io.celery4j.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.celery4j.canvas.BuiltinTasks;
import io.celery4j.canvas.Signature;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.task.NotRegisteredException;
import io.celery4j.task.TaskContext;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskOptions;
import io.celery4j.task.TaskRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Celery's built-in canvas tasks for the Java worker ({@code celery/app/builtins.py}):
 * {@code celery.map} and {@code celery.starmap} call a task registered on this worker
 * once per item, in process, and return the list of results; {@code celery.chunks} sends
 * the group of {@code celery.starmap} chunks and returns the group's result tuple. So a
 * {@code map} or {@code chunks} signature built in Java or in Python runs on a Java
 * worker as it runs on a Python one.
 *
 * <pre class="code">
 * CanvasTasks.register(registry, client);
 * </pre>
 */
public final class CanvasTasks {

	private CanvasTasks() {
	}

	/**
	 * Register the built-in tasks that are not registered yet.
	 * @param registry the worker's tasks, where mapped tasks are looked up too
	 * @param client the client {@code celery.chunks} sends its group with
	 */
	public static void register(TaskRegistry registry, CeleryClient client) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(client, "'client' must not be null");
		String source = "Celery built-in task (" + CanvasTasks.class.getName() + ")";
		if (registry.find(BuiltinTasks.MAP) == null) {
			registry.register(new TaskDefinition(BuiltinTasks.MAP, (context) -> map(registry, context, false),
					TaskOptions.defaults(), source));
		}
		if (registry.find(BuiltinTasks.STARMAP) == null) {
			registry.register(new TaskDefinition(BuiltinTasks.STARMAP, (context) -> map(registry, context, true),
					TaskOptions.defaults(), source));
		}
		if (registry.find(BuiltinTasks.CHUNKS) == null) {
			registry.register(new TaskDefinition(BuiltinTasks.CHUNKS, (context) -> chunks(client, context),
					TaskOptions.defaults(), source));
		}
	}

	private static List<@Nullable Object> map(TaskRegistry registry, TaskContext context, boolean star)
			throws Exception {
		Signature builtin = builtin(context);
		Signature task = Signature.fromJson(asMap(builtin.kwargs().get("task"), context));
		TaskDefinition definition = registry.find(task.task());
		if (definition == null) {
			throw new NotRegisteredException(task.task());
		}
		if (!(builtin.kwargs().get("it") instanceof List<?> items)) {
			throw new IllegalArgumentException(
					"Task '" + context.getTaskName() + "' argument 'it': expected a list of items, got null");
		}
		List<@Nullable Object> results = new ArrayList<>(items.size());
		for (int i = 0; i < items.size(); i++) {
			List<?> args = star ? BuiltinTasks.starmapArguments(items.get(i), i) : Arrays.asList(items.get(i));
			// As Celery's task(item): the task's code runs here, within this request.
			TaskMessage message = TaskMessage.builder(definition.name())
				.id(context.getId())
				.args(new ArrayList<>(args))
				.parent(context.getParentId(), context.getRootId())
				.build();
			results.add(
					definition.invoker().invoke(new TaskContext(message, context.getHostname(), definition.options())));
		}
		return results;
	}

	private static List<@Nullable Object> chunks(CeleryClient client, TaskContext context) {
		GroupResult group = new CanvasClient(client).apply(BuiltinTasks.chunksGroup(builtin(context)));
		return ResultTuples.toTuple(group);
	}

	/** The built-in's own signature, its kwargs checked with field paths. */
	private static Signature builtin(TaskContext context) {
		Signature signature = Signature.of(context.getTaskName(), List.of(), context.getKwargs()).withImmutable(true);
		return Signature.fromJson(signature.toJson());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> asMap(@Nullable Object value, TaskContext context) {
		if (!(value instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException("Task '" + context.getTaskName()
					+ "' argument 'task': expected a signature (JSON object), got " + value);
		}
		return (Map<String, ?>) map;
	}

}
