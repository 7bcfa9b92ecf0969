package io.celery4j.task;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

import io.celery4j.backend.ExceptionInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PythonExceptions} (PROTOCOL.md 3.4).
 */
class PythonExceptionsTests {

	@Test
	void mapsIllegalArgumentToValueError() {
		assertThat(PythonExceptions.toExceptionInfo(new IllegalArgumentException("boom: bad value")))
			.isEqualTo(new ExceptionInfo("ValueError", List.of("boom: bad value"), "builtins"));
	}

	@Test
	void mapsJdkSubclassesToTheBuiltinOfTheirFamily() {
		assertThat(PythonExceptions.toExceptionInfo(new NumberFormatException("x")).type()).isEqualTo("ValueError");
		assertThat(PythonExceptions.toExceptionInfo(new ArrayIndexOutOfBoundsException(3)).type())
			.isEqualTo("IndexError");
		assertThat(PythonExceptions.toExceptionInfo(new SocketTimeoutException("slow")).type())
			.isEqualTo("TimeoutError");
		assertThat(PythonExceptions.toExceptionInfo(new java.util.InputMismatchException("x")).type())
			.isEqualTo("LookupError");
	}

	@Test
	void mapsJdkExceptionsWithAPythonCounterpart() {
		assertThat(type(new IllegalStateException("x"))).isEqualTo("RuntimeError");
		assertThat(type(new UnsupportedOperationException("x"))).isEqualTo("NotImplementedError");
		assertThat(type(new ClassCastException("x"))).isEqualTo("TypeError");
		assertThat(type(new NoSuchElementException("x"))).isEqualTo("LookupError");
		assertThat(type(new TimeoutException("x"))).isEqualTo("TimeoutError");
		assertThat(type(new FileNotFoundException("x"))).isEqualTo("FileNotFoundError");
		assertThat(type(new IOException("x"))).isEqualTo("OSError");
		assertThat(type(new UncheckedIOException(new IOException("x")))).isEqualTo("OSError");
		assertThat(type(new StackOverflowError())).isEqualTo("RecursionError");
	}

	@Test
	void mapsArithmeticExceptionsByWhatWentWrong() {
		assertThat(type(new ArithmeticException("/ by zero"))).isEqualTo("ZeroDivisionError");
		assertThat(type(new ArithmeticException("Division by zero"))).isEqualTo("ZeroDivisionError");
		assertThat(type(new ArithmeticException("integer overflow"))).isEqualTo("OverflowError");
		assertThat(type(new ArithmeticException("Rounding necessary"))).isEqualTo("ArithmeticError");
	}

	@Test
	void mapsArgumentMistakesToTypeError() {
		assertThat(PythonExceptions.toExceptionInfo(new TaskArgumentException("tasks.add", "Task 'tasks.add' ...")))
			.isEqualTo(new ExceptionInfo("TypeError", List.of("Task 'tasks.add' ..."), "builtins"));
	}

	@Test
	void keepsTheNameOfAnApplicationSubclassWithItsPackageAsModule() {
		assertThat(PythonExceptions.toExceptionInfo(new OrderRejectedException("no stock")))
			.isEqualTo(new ExceptionInfo("OrderRejectedException", List.of("no stock"), "io.celery4j.task"));
	}

	@Test
	void keepsTheNameOfAnUnmappedJdkException() {
		assertThat(PythonExceptions.toExceptionInfo(new NullPointerException("name")))
			.isEqualTo(new ExceptionInfo("NullPointerException", List.of("name"), "java.lang"));
	}

	@Test
	void namesAnAnonymousExceptionAfterItsSuperclass() {
		assertThat(PythonExceptions.toExceptionInfo(new IllegalArgumentException("x") {
		}).type()).isEqualTo("ValueError");
		assertThat(PythonExceptions.toExceptionInfo(new OrderRejectedException("x") {
		})).isEqualTo(new ExceptionInfo("OrderRejectedException", List.of("x"), "io.celery4j.task"));
	}

	@Test
	void writesNoArgumentsWhenThereIsNoMessage() {
		assertThat(PythonExceptions.toExceptionInfo(new IllegalStateException()))
			.isEqualTo(new ExceptionInfo("RuntimeError", List.of(), "builtins"));
	}

	@Test
	void looksThroughReflectionWrappers() {
		InvocationTargetException wrapped = new InvocationTargetException(new IllegalArgumentException("inner"));
		assertThat(PythonExceptions.toExceptionInfo(wrapped))
			.isEqualTo(new ExceptionInfo("ValueError", List.of("inner"), "builtins"));
	}

	@Test
	void writesTheReprAsPythonDoes() {
		assertThat(PythonExceptions.repr(new IllegalArgumentException("boom"))).isEqualTo("ValueError('boom')");
		assertThat(PythonExceptions.repr(new IllegalArgumentException("it's"))).isEqualTo("ValueError(\"it's\")");
		assertThat(PythonExceptions.repr(new IllegalStateException())).isEqualTo("RuntimeError()");
		assertThat(PythonExceptions.repr(new OrderRejectedException("no stock")))
			.isEqualTo("OrderRejectedException('no stock')");
		assertThat(PythonExceptions.repr(new ExceptionInfo("KeyError", List.of("transient"), "builtins")))
			.isEqualTo("KeyError('transient')");
	}

	@Test
	void writesATracebackEndingWithTheTypeAndMessage() {
		String traceback = PythonExceptions.traceback(new IllegalArgumentException("boom"));
		assertThat(traceback).startsWith("Traceback (most recent call last)")
			.contains("  at " + PythonExceptionsTests.class.getName() + ".writesATracebackEndingWithTheTypeAndMessage(")
			.endsWith("\nValueError: boom\n");
	}

	@Test
	void writesTheModuleOfANonBuiltinInTheLastTracebackLine() {
		assertThat(PythonExceptions.traceback(new OrderRejectedException("no stock")))
			.endsWith("\nio.celery4j.task.OrderRejectedException: no stock\n");
	}

	@Test
	void writesTheTypeAloneInTheLastTracebackLineWhenThereIsNoMessage() {
		assertThat(PythonExceptions.traceback(new IllegalStateException())).endsWith("\nRuntimeError\n");
	}

	@Test
	void listsCausesInTheTraceback() {
		IOException root = new IOException("disk");
		String traceback = PythonExceptions
			.traceback(new IllegalStateException("outer", new UncheckedIOException("middle", root)));
		assertThat(traceback).contains("\nCaused by: java.io.UncheckedIOException: middle\n")
			.contains("\nCaused by: java.io.IOException: disk\n")
			.endsWith("\nRuntimeError: outer\n");
	}

	@Test
	void shortensDeepStacks() {
		String traceback = PythonExceptions.traceback(deep(100));
		assertThat(traceback.lines().filter((line) -> line.startsWith("  at "))).hasSize(40);
		assertThat(traceback).containsPattern("\n  \\.\\.\\. \\d+ more\n");
	}

	private static RuntimeException deep(int depth) {
		return (depth == 0) ? new IllegalStateException("deep") : deep(depth - 1);
	}

	private static String type(Throwable ex) {
		return PythonExceptions.toExceptionInfo(ex).type();
	}

}

/**
 * An application's own exception, extending a mapped JDK one.
 */
class OrderRejectedException extends IllegalArgumentException {

	OrderRejectedException(String message) {
		super(message);
	}

}
