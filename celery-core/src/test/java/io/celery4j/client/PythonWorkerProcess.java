package io.celery4j.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.celery4j.testsupport.PythonCelery;
import org.awaitility.Awaitility;

/**
 * A real Python Celery worker of {@code src/test/python/pyapp.py} in its own process, its
 * output in {@code target/interop/<node>.log}; {@link #start} returns once it logged that
 * it is ready, {@link #close} always ends it.
 */
final class PythonWorkerProcess implements AutoCloseable {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final Path log;

	private final String nodeName;

	private PythonWorkerProcess(Process process, Path log, String nodeName) {
		this.process = process;
		this.log = log;
		this.nodeName = nodeName;
	}

	static PythonWorkerProcess start(PythonCelery python, Map<String, String> environment, String queue,
			String nodeName) {
		Path log;
		try {
			log = Files.createDirectories(Path.of("target", "interop"))
				.resolve(nodeName.replaceAll("[^A-Za-z0-9.-]", "_") + ".log")
				.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ProcessBuilder builder = python
			.command("-m", "celery", "-A", "pyapp", "worker", "-P", "threads", "-c", "4", "-Q", queue, "-n", nodeName,
					"--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "INFO")
			.directory(Path.of("src", "test", "python").toFile())
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
		PythonWorkerProcess worker = new PythonWorkerProcess(process, log, nodeName);
		try {
			Awaitility.await("Python worker " + nodeName + " to log 'ready.'")
				.atMost(READY_TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> {
					if (!process.isAlive()) {
						throw new IllegalStateException("Python worker " + nodeName + " exited with code "
								+ process.exitValue() + " before it was ready. Its output:\n" + worker.output());
					}
					return worker.output().contains(nodeName + " ready.");
				});
		}
		catch (RuntimeException | Error ex) {
			worker.close();
			throw ex;
		}
		return worker;
	}

	String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
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
