package io.celery4j.task;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The tasks a process knows, by name. Counterpart of Celery's
 * {@code celery.app.registry.TaskRegistry}. Safe for concurrent reads while tasks are
 * registered.
 */
public class TaskRegistry {

	private final Map<String, TaskDefinition> tasks = new ConcurrentHashMap<>();

	/**
	 * Register a task.
	 * @param task the task
	 * @throws IllegalStateException if another task has the same name; the message names
	 * both declarations
	 */
	public void register(TaskDefinition task) {
		Assert.notNull(task, "'task' must not be null");
		TaskDefinition existing = this.tasks.putIfAbsent(task.name(), task);
		if (existing != null) {
			throw new IllegalStateException("Task name '" + task.name() + "' is declared twice: " + existing.source()
					+ " and " + task.source() + ". Set a different @CeleryTask(name) on one of them.");
		}
	}

	/**
	 * Replace the options of a registered task, as Celery's {@code rate_limit} and
	 * {@code time_limit} remote control commands set attributes of the task class.
	 * Requests received from now on use the new options.
	 * @param name the task name
	 * @param update computes the new options from the current ones
	 * @return the updated task
	 * @throws NotRegisteredException if there is no task of that name
	 */
	public TaskDefinition updateOptions(String name, UnaryOperator<TaskOptions> update) {
		TaskDefinition updated = this.tasks.computeIfPresent(name, (key, task) -> new TaskDefinition(task.name(),
				task.invoker(), update.apply(task.options()), task.source()));
		if (updated == null) {
			throw new NotRegisteredException(name);
		}
		return updated;
	}

	/**
	 * Return the task registered under a name.
	 * @param name the task name
	 * @return the task, or {@code null}
	 */
	public @Nullable TaskDefinition find(String name) {
		return this.tasks.get(name);
	}

	/**
	 * Return the task registered under a name.
	 * @param name the task name
	 * @return the task
	 * @throws NotRegisteredException if there is none
	 */
	public TaskDefinition get(String name) {
		TaskDefinition task = this.tasks.get(name);
		if (task == null) {
			throw new NotRegisteredException(name);
		}
		return task;
	}

	/**
	 * Return every registered task.
	 * @return the tasks, unmodifiable
	 */
	public Collection<TaskDefinition> all() {
		return Collections.unmodifiableCollection(this.tasks.values());
	}

	/**
	 * Return the task a bean method runs as, for sending by method reference.
	 * @param method the method, as declared on the bean's class or an interface
	 * @return the task, or {@code null} if no registered task calls that method
	 */
	public @Nullable TaskDefinition findByMethod(Method method) {
		Assert.notNull(method, "'method' must not be null");
		for (TaskDefinition task : this.tasks.values()) {
			if (task.invoker() instanceof MethodTaskInvoker invoker && invoker.invokes(method)) {
				return task;
			}
		}
		return null;
	}

}
