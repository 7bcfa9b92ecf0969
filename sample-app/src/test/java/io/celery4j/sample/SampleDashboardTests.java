package io.celery4j.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.celery4j.boot.api.CeleryTaskEventState;
import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.worker.WorkerContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard rendered by headless Chromium (Debian package {@code chromium}) from the
 * running sample: the DOM shows the worker and the queue after the page's scripts ran,
 * and a screenshot is written to {@code target/dashboard.png}. Skipped when Chromium is
 * not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleDashboardTests {

	private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

	@LocalServerPort
	private int port;

	@Autowired
	private WorkerContainer worker;

	@Autowired
	private CeleryClient client;

	@Autowired
	private CeleryTaskEventState events;

	@TempDir
	private Path profile;

	@Test
	void dashboardShowsTheWorkerAndTheQueue() throws Exception {
		String chromium = chromium();
		assumeThat(chromium).as("Chromium is not installed (Debian package 'chromium'); dashboard not rendered")
			.isNotNull();
		String url = "http://127.0.0.1:" + this.port + "/celery/index.html";
		AsyncResult result = this.client.send("tasks.add", 20, 22);
		assertThat(((Number) result.get(Duration.ofSeconds(20))).intValue()).isEqualTo(42);
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			Map<String, @Nullable Object> task = this.events.getState().find(result.getId());
			return task != null && "SUCCESS".equals(task.get("state"));
		});
		String dom = run(chromium, "--dump-dom", url);
		assertThat(dom).contains(this.worker.getOptions().nodeName())
			.contains("<td>celery</td>")
			.contains("tasks.add")
			.contains("updated ");
		// The recent tasks table, from /api/tasks.
		assertThat(dom).contains("<td>" + result.getId() + "</td>")
			.contains("<td>SUCCESS</td>")
			.contains("<td>(20, 22)</td>");
		Files.deleteIfExists(SCREENSHOT);
		run(chromium, "--screenshot=" + SCREENSHOT.toAbsolutePath(), "--window-size=1280,900", url);
		assertThat(SCREENSHOT).exists();
		assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
	}

	private String run(String chromium, String... arguments) throws IOException, InterruptedException {
		// A profile of its own for each run: helpers of the previous run that have not
		// exited yet still hold theirs, and a Chromium started on a profile in use
		// hands its work to that instance instead of doing it.
		Path userData = Files.createTempDirectory(this.profile, "profile");
		List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--disable-extensions", "--user-data-dir=" + userData.toAbsolutePath(),
				// Lets the page's fetches and the first redraw finish before the DOM is
				// dumped.
				"--virtual-time-budget=5000"));
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile(this.profile, "chromium", ".out");
		Process process = new ProcessBuilder(command).redirectErrorStream(false)
			.redirectOutput(output.toFile())
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Chromium did not finish within 60s: " + command);
		}
		return Files.readString(output, StandardCharsets.UTF_8);
	}

	private static String chromium() {
		for (String name : List.of("chromium", "chromium-browser")) {
			for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
				File candidate = new File(directory, name);
				if (candidate.canExecute()) {
					return candidate.getAbsolutePath();
				}
			}
		}
		return null;
	}

}
