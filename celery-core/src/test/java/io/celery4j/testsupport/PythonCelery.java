package io.celery4j.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real Python Celery for interop tests: the interpreter ({@code /usr/bin/python3}, or
 * {@code CELERY_TEST_PYTHON}), checked once per JVM to import {@code celery} and
 * {@code kombu}. Without it an interop test is skipped with the reason, or fails when
 * {@code CELERY_INTEROP=required}. Runs scripts with a timeout, capturing their output,
 * and prepares long-running processes such as workers.
 *
 * <pre class="code">
 * PythonCelery python = PythonCelery.require();
 * PythonCelery.Result result = python.run(script, List.of(), input, Duration.ofSeconds(60));
 * Process worker = python.command("-m", "celery", "-A", "app", "worker").directory(dir).start();
 * </pre>
 */
public final class PythonCelery {

	/** Environment variable naming the interpreter to use instead of the default. */
	public static final String PYTHON_ENV = "CELERY_TEST_PYTHON";

	/** Environment variable that, set to {@code required}, fails instead of skipping. */
	public static final String INTEROP_ENV = "CELERY_INTEROP";

	/** The interpreter of the Debian packages python3-celery and python3-kombu. */
	public static final String DEFAULT_PYTHON = "/usr/bin/python3";

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

	private static @Nullable Probe probe;

	private final String python;

	private final String celeryVersion;

	private PythonCelery(String python, String celeryVersion) {
		this.python = python;
		this.celeryVersion = celeryVersion;
	}

	/**
	 * Return Python Celery, or end the calling test: skipped when it is not installed,
	 * failed when {@code CELERY_INTEROP=required}.
	 * @return the interpreter, known to import celery and kombu
	 */
	public static PythonCelery require() {
		Probe result = probe();
		if (result.python() != null) {
			return result.python();
		}
		String reason = "Python Celery not found (" + result.interpreter()
				+ " -c 'import celery' failed): interop test skipped. Install python3-celery or set " + INTEROP_ENV
				+ "=required to fail instead.";
		if ("required".equalsIgnoreCase(System.getenv(INTEROP_ENV))) {
			Assertions.fail("Python Celery not found (" + result.interpreter() + " -c 'import celery' failed) and "
					+ INTEROP_ENV + "=required: " + result.problem());
		}
		Assumptions.assumeTrue(false, reason);
		throw new IllegalStateException(reason);
	}

	/**
	 * Return whether Python Celery is installed, without ending the calling test.
	 * @return whether {@link #require()} returns
	 */
	public static boolean isAvailable() {
		return probe().python() != null;
	}

	private static synchronized Probe probe() {
		if (probe == null) {
			probe = detect();
		}
		return probe;
	}

	private static Probe detect() {
		String configured = System.getenv(PYTHON_ENV);
		String interpreter = (configured != null && !configured.isBlank()) ? configured.trim() : DEFAULT_PYTHON;
		PythonCelery candidate = new PythonCelery(interpreter, "");
		try {
			Result result = candidate.run("import celery, kombu\nprint(celery.__version__)\n", List.of(), null,
					PROBE_TIMEOUT);
			if (result.exitCode() == 0 && !result.stdout().isBlank()) {
				return new Probe(interpreter, new PythonCelery(interpreter, result.stdout().trim()), "");
			}
			return new Probe(interpreter, null, "exit code " + result.exitCode() + ": " + result.stderr().trim());
		}
		catch (RuntimeException ex) {
			return new Probe(interpreter, null, ex.getMessage());
		}
	}

	/**
	 * Return the interpreter's path.
	 * @return for example {@code /usr/bin/python3}
	 */
	public String python() {
		return this.python;
	}

	/**
	 * Return the version of Celery the interpreter imports.
	 * @return for example {@code 5.2.6}
	 */
	public String celeryVersion() {
		return this.celeryVersion;
	}

	/**
	 * Return a process builder for the interpreter with the given arguments, unbuffered
	 * UTF-8 output and no bytecode files, for example to start a worker with
	 * {@code command("-m", "celery", "-A", "app", "worker", "-P", "solo")}. The caller
	 * sets the directory, redirects, starts and stops it.
	 * @param arguments the interpreter's arguments
	 * @return the builder
	 */
	public ProcessBuilder command(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.python);
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("PYTHONUNBUFFERED", "1");
		builder.environment().put("PYTHONIOENCODING", "utf-8");
		builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
		return builder;
	}

	/**
	 * Run a script to completion.
	 * @param script the Python source
	 * @param arguments the script's arguments ({@code sys.argv[1:]})
	 * @param input text for its standard input, or {@code null} for none
	 * @param timeout how long it may run; then it and its children are killed
	 * @return exit code and output
	 * @throws AssertionError if it did not finish in time; the message has its output
	 */
	public Result run(String script, List<String> arguments, @Nullable String input, Duration timeout) {
		return run(script, arguments, input, timeout, null);
	}

	/**
	 * Run a script to completion in a directory, whose modules it can import.
	 * @param script the Python source
	 * @param arguments the script's arguments ({@code sys.argv[1:]})
	 * @param input text for its standard input, or {@code null} for none
	 * @param timeout how long it may run; then it and its children are killed
	 * @param directory the working directory, also put on {@code PYTHONPATH}, or
	 * {@code null} for a fresh temporary one
	 * @return exit code and output
	 * @throws AssertionError if it did not finish in time; the message has its output
	 */
	public Result run(String script, List<String> arguments, @Nullable String input, Duration timeout,
			@Nullable Path directory) {
		Path work = null;
		try {
			work = Files.createTempDirectory("python-celery-");
			Path home = (directory != null) ? directory : work;
			Path file = work.resolve("script.py");
			Files.writeString(file, script, StandardCharsets.UTF_8);
			Path stdin = Files.writeString(work.resolve("stdin.txt"), (input != null) ? input : "",
					StandardCharsets.UTF_8);
			Path stdout = work.resolve("stdout.txt");
			Path stderr = work.resolve("stderr.txt");
			List<String> command = new ArrayList<>(List.of(file.toString()));
			command.addAll(arguments);
			ProcessBuilder builder = command(command.toArray(String[]::new)).directory(home.toFile())
				.redirectInput(stdin.toFile())
				.redirectOutput(stdout.toFile())
				.redirectError(stderr.toFile());
			builder.environment().put("PYTHONPATH", home.toString());
			Process process = builder.start();
			boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!finished) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			Result result = new Result(finished ? process.exitValue() : -1, read(stdout), read(stderr));
			if (!finished) {
				throw new AssertionError(
						"Python script did not finish within " + timeout + "; killed. " + result.describe());
			}
			return result;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + this.python + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while " + this.python + " ran", ex);
		}
		finally {
			delete(work);
		}
	}

	/**
	 * Return the text of a classpath resource, such as a script kept in test resources.
	 * @param path the resource path, for example {@code interop/read_messages.py}
	 * @return the text
	 */
	public static String resource(String path) {
		try (InputStream in = PythonCelery.class.getClassLoader().getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalArgumentException("No resource '" + path + "' on the test classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) throws IOException {
		return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
	}

	private static void delete(@Nullable Path directory) {
		if (directory == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// A leftover temporary directory does not change a test's outcome.
		}
	}

	/**
	 * What a script did.
	 *
	 * @param exitCode the exit code, {@code -1} when killed
	 * @param stdout its standard output
	 * @param stderr its standard error
	 */
	public record Result(int exitCode, String stdout, String stderr) {

		/**
		 * Return the standard output, after checking the script succeeded.
		 * @return the output
		 * @throws AssertionError if the exit code is not 0; the message has both outputs
		 */
		public String successfulOutput() {
			if (this.exitCode != 0) {
				throw new AssertionError("Python script failed. " + describe());
			}
			return this.stdout;
		}

		/**
		 * Return the non-blank lines of the standard output.
		 * @return the lines
		 */
		public List<String> lines() {
			return this.stdout.lines().filter((line) -> !line.isBlank()).toList();
		}

		String describe() {
			return "Exit code " + this.exitCode + ".\n--- stdout\n" + this.stdout + "\n--- stderr\n" + this.stderr;
		}

	}

	private record Probe(String interpreter, @Nullable PythonCelery python, String problem) {

	}

}
