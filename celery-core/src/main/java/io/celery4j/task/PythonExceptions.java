package io.celery4j.task;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.celery4j.backend.ExceptionInfo;
import io.celery4j.protocol.PythonRepr;
import org.jspecify.annotations.Nullable;

/**
 * The one mapping between Java exceptions and the {@code exc_type}/{@code exc_module}
 * pairs of stored failures (PROTOCOL.md 3.4). A JDK exception with a Python built-in
 * counterpart becomes that built-in ({@code IllegalArgumentException} is
 * {@code ValueError}, {@code IllegalStateException} is {@code RuntimeError}, ...), so
 * Python's {@code AsyncResult.get()} raises a real built-in. Any other exception,
 * including an application's own subclass of a mapped one, keeps its simple class name
 * with its Java package as the module, which Python cannot import and so turns into an
 * exception class of that name. The message becomes {@code exc_message}: a one-element
 * list, or an empty list when the exception has no message (Python's
 * {@code ValueError()}).
 */
public final class PythonExceptions {

	private static final String BUILTINS = "builtins";

	private static final String CELERY_EXCEPTIONS = "celery.exceptions";

	private static final int MAX_FRAMES = 40;

	private static final Map<Class<? extends Throwable>, String> CELERY_NAMES = Map
		.of(MaxRetriesExceededException.class, "MaxRetriesExceededError", RetryException.class, "Retry");

	/** Most specific first: the first assignable entry wins. */
	private static final Map<Class<? extends Throwable>, String> BUILTIN_NAMES = new LinkedHashMap<>();

	static {
		BUILTIN_NAMES.put(TaskArgumentException.class, "TypeError");
		BUILTIN_NAMES.put(IllegalArgumentException.class, "ValueError");
		BUILTIN_NAMES.put(IndexOutOfBoundsException.class, "IndexError");
		BUILTIN_NAMES.put(NoSuchElementException.class, "LookupError");
		BUILTIN_NAMES.put(ClassCastException.class, "TypeError");
		BUILTIN_NAMES.put(UnsupportedOperationException.class, "NotImplementedError");
		BUILTIN_NAMES.put(IllegalStateException.class, "RuntimeError");
		BUILTIN_NAMES.put(TimeoutException.class, "TimeoutError");
		BUILTIN_NAMES.put(InterruptedIOException.class, "TimeoutError");
		BUILTIN_NAMES.put(FileNotFoundException.class, "FileNotFoundError");
		BUILTIN_NAMES.put(NoSuchFileException.class, "FileNotFoundError");
		BUILTIN_NAMES.put(FileAlreadyExistsException.class, "FileExistsError");
		BUILTIN_NAMES.put(AccessDeniedException.class, "PermissionError");
		BUILTIN_NAMES.put(ConnectException.class, "ConnectionRefusedError");
		BUILTIN_NAMES.put(UncheckedIOException.class, "OSError");
		BUILTIN_NAMES.put(IOException.class, "OSError");
		BUILTIN_NAMES.put(OutOfMemoryError.class, "MemoryError");
		BUILTIN_NAMES.put(StackOverflowError.class, "RecursionError");
	}

	private PythonExceptions() {
	}

	/**
	 * Return the exception record a failure is stored with.
	 * @param ex the exception a task threw; reflection wrappers are looked through
	 * @return type, message arguments and module
	 */
	public static ExceptionInfo toExceptionInfo(Throwable ex) {
		Throwable cause = unwrap(ex);
		List<@Nullable Object> arguments = (cause.getMessage() != null) ? Collections.singletonList(cause.getMessage())
				: Collections.emptyList();
		Class<?> type = namedClass(cause.getClass());
		String builtin = builtinName(type, cause.getMessage());
		if (builtin != null) {
			return new ExceptionInfo(builtin, arguments, BUILTINS);
		}
		String celery = CELERY_NAMES.get(cause.getClass());
		if (celery != null) {
			return new ExceptionInfo(celery, arguments, CELERY_EXCEPTIONS);
		}
		if (cause instanceof SoftTimeLimitExceededException) {
			return new ExceptionInfo("SoftTimeLimitExceeded", arguments, CELERY_EXCEPTIONS);
		}
		if (cause instanceof TimeLimitExceededException) {
			return new ExceptionInfo("TimeLimitExceeded", arguments, CELERY_EXCEPTIONS);
		}
		return new ExceptionInfo(type.getSimpleName(), arguments, type.getPackageName());
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
	 * @return for example {@code ValueError('boom')}, {@code ValueError()}
	 */
	public static String repr(ExceptionInfo info) {
		List<String> arguments = new ArrayList<>();
		info.arguments().forEach((argument) -> arguments.add(PythonRepr.value(argument)));
		return info.type() + "(" + String.join(", ", arguments) + ")";
	}

	/**
	 * Return the traceback text stored with a failure: the Java stack trace, shortened,
	 * with one line per cause, ending with the line Python tools show last:
	 * {@code ValueError: boom} for a built-in, {@code com.example.OrderException: boom}
	 * otherwise, the type alone when there is no message.
	 * @param ex the exception
	 * @return the text
	 */
	public static String traceback(Throwable ex) {
		Throwable cause = unwrap(ex);
		StringBuilder text = new StringBuilder("Traceback (most recent call last), Java stack:\n");
		StackTraceElement[] frames = cause.getStackTrace();
		for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
			text.append("  at ").append(frames[i]).append('\n');
		}
		if (frames.length > MAX_FRAMES) {
			text.append("  ... ").append(frames.length - MAX_FRAMES).append(" more\n");
		}
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		seen.add(cause);
		for (Throwable nested = cause.getCause(); nested != null && seen.add(nested); nested = nested.getCause()) {
			text.append("Caused by: ").append(nested).append('\n');
		}
		ExceptionInfo info = toExceptionInfo(cause);
		text.append(BUILTINS.equals(info.module()) ? info.type() : info.module() + "." + info.type());
		if (!info.arguments().isEmpty()) {
			text.append(": ").append(info.message());
		}
		return text.append('\n').toString();
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof InvocationTargetException || current instanceof UndeclaredThrowableException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private static @Nullable String builtinName(Class<?> type, @Nullable String message) {
		if (ArithmeticException.class.isAssignableFrom(type) && isJdkType(type)) {
			return arithmeticName(message);
		}
		for (Map.Entry<Class<? extends Throwable>, String> entry : BUILTIN_NAMES.entrySet()) {
			if (entry.getKey().isAssignableFrom(type)) {
				// An application's own subclass (OrderRejectedException extends
				// IllegalArgumentException) keeps its name: it says more than ValueError.
				return (type == entry.getKey() || isJdkType(type) || entry.getKey() == TaskArgumentException.class)
						? entry.getValue() : null;
			}
		}
		return null;
	}

	private static String arithmeticName(@Nullable String message) {
		String text = (message != null) ? message.toLowerCase(Locale.ROOT) : "";
		if (text.contains("zero")) {
			return "ZeroDivisionError";
		}
		return text.contains("overflow") ? "OverflowError" : "ArithmeticError";
	}

	private static boolean isJdkType(Class<?> type) {
		return type.getName().startsWith("java.") || type.getName().startsWith("javax.");
	}

	/**
	 * Return the class whose name stands for an exception: an anonymous or hidden class
	 * has no usable simple name, so its nearest named superclass speaks for it.
	 */
	private static Class<?> namedClass(Class<?> type) {
		Class<?> current = type;
		while ((current.isAnonymousClass() || current.isHidden() || current.getSimpleName().isEmpty())
				&& current.getSuperclass() != null) {
			current = current.getSuperclass();
		}
		return current;
	}

}
