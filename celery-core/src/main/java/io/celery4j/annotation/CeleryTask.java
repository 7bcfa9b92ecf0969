package io.celery4j.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a bean method as a Celery task, like Celery's {@code @app.task}. The method's
 * parameters bind from the message's args (by position) and kwargs (by parameter name);
 * its return value becomes the JSON result.
 *
 * <pre class="code">
 * &#64;CeleryTask(name = "tasks.add")
 * public int add(int x, int y) {
 *     return x + y;
 * }
 * </pre>
 *
 * Options left at their defaults take the {@code celery.task.*} properties.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CeleryTask {

	/**
	 * Task name; defaults to {@code <bean name>.<method name>}. Supports property
	 * placeholders.
	 * @return the task name
	 */
	String name() default "";

	/**
	 * Queue the client sends this task to when no route or option says otherwise. Empty
	 * means {@code celery.task.default-queue}.
	 * @return the queue
	 */
	String queue() default "";

	/**
	 * Whether to acknowledge the message after the task ran instead of before. Empty
	 * means {@code celery.task.acks-late}; otherwise {@code "true"} or {@code "false"}.
	 * @return the acks-late setting
	 */
	String acksLate() default "";

	/**
	 * Whether to store no result. Empty means {@code celery.task.ignore-result}.
	 * @return the ignore-result setting
	 */
	String ignoreResult() default "";

}
