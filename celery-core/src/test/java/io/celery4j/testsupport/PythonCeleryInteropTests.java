package io.celery4j.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PythonCelery} with the real interpreter.
 */
class PythonCeleryInteropTests {

	private PythonCelery python;

	@BeforeEach
	void requirePythonCelery() {
		this.python = PythonCelery.require();
	}

	@Test
	void knowsTheCeleryVersion() {
		assertThat(this.python.celeryVersion()).matches("5\\.\\d+\\.\\d+.*");
		assertThat(PythonCelery.isAvailable()).isTrue();
	}

	@Test
	void runsAScriptWithArgumentsAndInputCapturingItsOutput() {
		String script = "import sys\nprint(sys.argv[1], sys.stdin.read().upper())\nprint('é ✓', file=sys.stderr)\n"
				+ "sys.exit(3)\n";
		PythonCelery.Result result = this.python.run(script, List.of("arg"), "héllo", Duration.ofSeconds(60));
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.stdout()).isEqualTo("arg HÉLLO\n");
		assertThat(result.stderr()).isEqualTo("é ✓\n");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(result::successfulOutput)
			.withMessageContaining("Exit code 3")
			.withMessageContaining("é ✓");
	}

	@Test
	void killsAScriptThatRunsTooLong() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.python.run("import time\nprint('started', flush=True)\ntime.sleep(120)\n", List.of(),
					null, Duration.ofSeconds(2)))
			.withMessageContaining("did not finish within PT2S")
			.withMessageContaining("started");
	}

	@Test
	void preparesLongRunningProcesses() throws Exception {
		Process process = this.python.command("-c", "import celery, sys; print(celery.__version__)")
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
			.isEqualTo(this.python.celeryVersion());
	}

}
