package io.celery4j.task;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.protocol.PythonRepr;
import org.jspecify.annotations.Nullable;

/**
 * The one mapping between Java exceptions and the {@code exc_type}/{@code exc_module}
 * pairs of stored failures (PROTOCOL.md 3.4). Java exceptions with a Python built-in
 * counterpart become that built-in, so Python's {@code AsyncResult.get()} raises a real
 * {@code ValueError}; any other keeps its simple class name with its Java package as the
 * module, which Python turns into an exception class of that name.
 */
public final class PythonExceptions {

	private static final String BUILTINS = "builtins";

	private static final String CELERY_EXCEPTIONS = "celery.exceptions";

	private static final int MAX_FRAMES = 40;

	private static final Map<Class<? extends Throwable>, String> BUILTIN_NAMES = new LinkedHashMap<>();

	static {
		BUILTIN_NAMES.put(TaskArgumentException.class, "TypeError");
		BUILTIN_NAMES.put(NumberFormatException.class, "ValueError");
		BUILTIN_NAMES.put(IllegalArgumentException.class, "ValueError");
		BUILTIN_NAMES.put(ArithmeticException.class, "ZeroDivisionError");
		BUILTIN_NAMES.put(IndexOutOfBoundsException.class, "IndexError");
		BUILTIN_NAMES.put(NoSuchElementException.class, "LookupError");
		BUILTIN_NAMES.put(ClassCastException.class, "TypeError");
		BUILTIN_NAMES.put(UnsupportedOperationException.class, "NotImplementedError");
		BUILTIN_NAMES.put(IllegalStateException.class, "RuntimeError");
		BUILTIN_NAMES.put(TimeoutException.class, "TimeoutError");
		BUILTIN_NAMES.put(UncheckedIOException.class, "OSError");
		BUILTIN_NAMES.put(IOException.class, "OSError");
		BUILTIN_NAMES.put(OutOfMemoryError.class, "MemoryError");
		BUILTIN_NAMES.put(StackOverflowError.class, "RecursionError");
	}

	private PythonExceptions() {
	}

	/**
	 * Return the exception record a failure is stored with.
	 * @param ex the exception a task threw
	 * @return type, message arguments and module
	 */
	public static ExceptionInfo toExceptionInfo(Throwable ex) {
		Throwable cause = unwrap(ex);
		String builtin = builtinName(cause);
		List<@Nullable Object> arguments = (cause.getMessage() != null) ? List.of(cause.getMessage())
				: Collections.emptyList();
		if (builtin != null) {
			return new ExceptionInfo(builtin, arguments, BUILTINS);
		}
		if (cause instanceof SoftTimeLimitExceededException) {
			return new ExceptionInfo("SoftTimeLimitExceeded", arguments, CELERY_EXCEPTIONS);
		}
		if (cause instanceof TimeLimitExceededException) {
			return new ExceptionInfo("TimeLimitExceeded", arguments, CELERY_EXCEPTIONS);
		}
		return new ExceptionInfo(cause.getClass().getSimpleName(), arguments, cause.getClass().getPackageName());
	}

	/**
	 * Return the record of a task stopped at its hard time limit, as Celery stores it:
	 * {@code TimeLimitExceeded(<seconds>)} from {@code celery.exceptions}.
	 * @param seconds the hard limit in seconds
	 * @return type, message arguments and module
	 */
	public static ExceptionInfo timeLimitExceeded(double seconds) {
		return new ExceptionInfo("TimeLimitExceeded", List.of(seconds), CELERY_EXCEPTIONS);
	}

	/**
	 * Return the Python repr of an exception as events and logs show it, for example
	 * {@code ValueError('boom')}.
	 * @param ex the exception
	 * @return the repr
	 */
	public static String repr(Throwable ex) {
		return repr(toExceptionInfo(ex));
	}

	/**
	 * Return the Python repr of a stored exception record.
	 * @param info the record
	 * @return for example {@code ValueError('boom')}
	 */
	public static String repr(ExceptionInfo info) {
		List<String> arguments = new ArrayList<>();
		info.arguments().forEach((argument) -> arguments.add(PythonRepr.value(argument)));
		return info.type() + "(" + String.join(", ", arguments) + ")";
	}

	/**
	 * Return the traceback text stored with a failure: the Java stack trace, shortened,
	 * ending with the Python-style {@code Type: message} line that tools show.
	 * @param ex the exception
	 * @return the text
	 */
	public static String traceback(Throwable ex) {
		Throwable cause = unwrap(ex);
		StringWriter text = new StringWriter();
		text.append("Traceback (most recent call last), Java stack:\n");
		StackTraceElement[] frames = cause.getStackTrace();
		for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
			text.append("  at ").append(frames[i].toString()).append('\n');
		}
		if (frames.length > MAX_FRAMES) {
			text.append("  ... ").append(String.valueOf(frames.length - MAX_FRAMES)).append(" more\n");
		}
		if (cause.getCause() != null) {
			StringWriter nested = new StringWriter();
			cause.getCause().printStackTrace(new PrintWriter(nested));
			String[] lines = nested.toString().split("\n");
			text.append("Caused by: ").append(lines[0].trim()).append('\n');
		}
		ExceptionInfo info = toExceptionInfo(cause);
		text.append(info.type()).append(": ").append(info.message()).append('\n');
		return text.toString();
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof java.lang.reflect.InvocationTargetException
				|| current instanceof java.lang.reflect.UndeclaredThrowableException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private static @Nullable String builtinName(Throwable ex) {
		for (Map.Entry<Class<? extends Throwable>, String> entry : BUILTIN_NAMES.entrySet()) {
			if (entry.getKey().isInstance(ex) && isPlainJavaType(ex, entry.getKey())) {
				return entry.getValue();
			}
		}
		return null;
	}

	private static boolean isPlainJavaType(Throwable ex, Class<?> mapped) {
		// A user's own subclass (OrderRejectedException extends IllegalArgumentException)
		// keeps its own name: it says more than ValueError.
		Class<?> type = ex.getClass();
		return type == mapped || type.getName().startsWith("java.") || mapped == TaskArgumentException.class;
	}

}
