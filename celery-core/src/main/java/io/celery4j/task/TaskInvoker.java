package io.celery4j.task;

import org.jspecify.annotations.Nullable;

/**
 * Calls a task's code with the arguments of one request. Counterpart of the {@code run}
 * method of a Celery task.
 */
@FunctionalInterface
public interface TaskInvoker {

	/**
	 * Run the task.
	 * @param context the request: arguments and metadata
	 * @return the result, any value Jackson can write as JSON
	 * @throws Exception whatever the task throws; it becomes a FAILURE
	 */
	@Nullable Object invoke(TaskContext context) throws Exception;

}
