package io.celery4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Python Celery worker ({@code python3 -m celery -A pyapp worker}) in its own
 * process, started from {@code celery-core/src/test/python}, its output in a log file
 * under the module's {@code target/interop}; shared by the interop tests of every module.
 * {@link #start} returns once the worker logged that it is ready; {@link #close} always
 * ends the process.
 */
public final class PythonWorker implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PythonWorker.class);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private static final Path SCRIPTS = Path.of("celery-core", "src", "test", "python");

	private final Process process;

	private final Path log;

	private final String nodeName;

	private PythonWorker(Process process, Path log, String nodeName) {
		this.process = process;
		this.log = log;
		this.nodeName = nodeName;
	}

	/**
	 * Start a worker and wait until it consumes.
	 * @param python the Python interpreter that has Celery
	 * @param environment broker, backend and queue for {@code pyapp}
	 * @param queue the queue to consume
	 * @param nodeName the node name, unique per test
	 * @return the running worker
	 */
	public static PythonWorker start(PythonCelery python, Map<String, String> environment, String queue,
			String nodeName) {
		return start(python, environment, queue, nodeName, "--without-heartbeat");
	}

	/**
	 * Start a worker with heartbeats on or off and wait until it consumes.
	 * @param python the Python interpreter that has Celery
	 * @param environment broker, backend and queue for {@code pyapp}
	 * @param queue the queue to consume
	 * @param nodeName the node name, unique per test
	 * @param options more worker options, for example {@code --without-heartbeat}; a
	 * repeated option wins over the default, as in Celery's command line ({@code -P
	 * prefork -c 2}: only the prefork pool enforces time limits, {@code threads} ignores
	 * them)
	 * @return the running worker
	 */
	public static PythonWorker start(PythonCelery python, Map<String, String> environment, String queue,
			String nodeName, String... options) {
		Path log = logFile(nodeName);
		List<String> command = new ArrayList<>(List.of("-m", "celery", "-A", "pyapp", "worker", "-P", "threads", "-c",
				"4", "-Q", queue, "-n", nodeName, "--without-mingle", "--without-gossip", "-l", "INFO"));
		command.addAll(List.of(options));
		ProcessBuilder builder = python.command(command.toArray(String[]::new))
			.directory(scriptsDirectory().toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + String.join(" ", builder.command()), ex);
		}
		PythonWorker worker = new PythonWorker(process, log, nodeName);
		try {
			worker.awaitReady();
		}
		catch (RuntimeException | Error ex) {
			worker.close();
			throw ex;
		}
		logger.info("Python worker {} ready (pid {}), log {}", nodeName, process.pid(), log);
		return worker;
	}

	/**
	 * Return the directory of the Python side of the interop tests
	 * ({@code celery-core/src/test/python}: {@code pyapp.py} and the client scripts),
	 * found from the working directory (a module's or the repository's) upwards.
	 * @return the absolute directory
	 */
	public static Path scriptsDirectory() {
		Path start = Path.of("").toAbsolutePath();
		for (Path current = start; current != null; current = current.getParent()) {
			Path candidate = current.resolve(SCRIPTS);
			if (Files.isRegularFile(candidate.resolve("pyapp.py"))) {
				return candidate;
			}
		}
		throw new IllegalStateException(
				"No " + SCRIPTS + "/pyapp.py in " + start + " or any parent; run the tests from the repository");
	}

	private static Path logFile(String nodeName) {
		try {
			Path directory = Files.createDirectories(Path.of("target", "interop"));
			return directory.resolve(nodeName.replaceAll("[^A-Za-z0-9.-]", "_") + ".log").toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady() {
		// Celery logs "<node> ready." once it consumes; a dead process fails at once.
		Awaitility.await("Python worker " + this.nodeName + " to log 'ready.'")
			.atMost(READY_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("Python worker " + this.nodeName + " exited with code "
							+ this.process.exitValue() + " before it was ready. Its output:\n" + output());
				}
				return output().contains(this.nodeName + " ready.");
			});
	}

	/**
	 * Return what the worker printed so far.
	 * @return the log text
	 */
	public String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		// SIGTERM is Celery's warm shutdown; the threads pool has no children to wait
		// for.
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				logger.warn("Python worker {} did not stop within 10s after SIGTERM; killing it", this.nodeName);
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
