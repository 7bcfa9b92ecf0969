package io.celery4j.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a task parameter for keyword binding and declares its default when the caller
 * omits it, like Python's {@code def greet(name, greeting="Hello")}.
 *
 * <pre class="code">
 * &#64;CeleryTask(name = "tasks.greet")
 * public String greet(String name, &#64;TaskParam(defaultValue = "Hello") String greeting) {
 *     return greeting + ", " + name + "!";
 * }
 * </pre>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskParam {

	/** Marker for "no default": the argument is required. */
	String NO_DEFAULT = "\n\t\t\n\t\t\n\ue000\ue001\ue002\n\t\t\t\t\n";

	/**
	 * Keyword name of the parameter; defaults to the Java parameter name (compile with
	 * {@code -parameters}).
	 * @return the keyword name
	 */
	String name() default "";

	/**
	 * Default used when the argument is given neither by position nor by keyword. For a
	 * {@code String} parameter the text itself, for other types a JSON value ({@code 10},
	 * {@code true}, {@code [1, 2]}, {@code null}).
	 * @return the default value
	 */
	String defaultValue() default NO_DEFAULT;

}
