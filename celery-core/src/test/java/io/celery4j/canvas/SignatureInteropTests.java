package io.celery4j.canvas;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import io.celery4j.testsupport.PythonCelery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Signature} against real Python Celery: the checked-in fixture is still what
 * Celery writes, and Celery reads the JSON Java writes back into the same signature.
 */
class SignatureInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void fixtureIsWhatCeleryWritesToday() {
		PythonCelery python = PythonCelery.require();
		PythonCelery.Result result = python.run(PythonCelery.resource(PythonSignatures.SCRIPT), List.of(), null,
				TIMEOUT);
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout().strip()).isEqualTo(PythonCelery.resource(PythonSignatures.FIXTURE).strip());
	}

	@Test
	void celeryReadsJavaSignaturesAsTheSameSignatures() {
		PythonCelery python = PythonCelery.require();
		Map<String, Signature> java = Map.of("link",
				Signature.of("tasks.add", 1)
					.link(Signature.of("tasks.echo"))
					.linkError(Signature.ofImmutable("tasks.echo", "x")),
				"kwargs_and_options",
				Signature.of("tasks.add", List.of(2), Map.of("y", 3))
					.withQueue("math")
					.withPriority(5)
					.withCountdown(Duration.ofSeconds(10)));
		// Python rebuilds each signature with Celery's own class and writes dict(sig)
		// back.
		String script = """
				import json, sys
				from celery import Celery, signature
				app = Celery("canvas", broker="memory://")
				cases = json.load(sys.stdin)
				json.dump({name: dict(signature(value, app=app)) for name, value in cases.items()}, sys.stdout)
				""";
		Map<String, @Nullable Object> input = new java.util.LinkedHashMap<>();
		java.forEach((name, signature) -> input.put(name, signature.toJson()));
		PythonCelery.Result result = python.run(script, List.of(), Json.write(input), TIMEOUT);
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		@SuppressWarnings("unchecked")
		Map<String, Object> echoed = (Map<String, Object>) Json.read(result.stdout());
		java.forEach((name, signature) -> {
			assertThat(Signature.fromJson((Map<String, ?>) echoed.get(name))).as(name).isEqualTo(signature);
			assertThat(Json.write(echoed.get(name))).as(name).isEqualTo(PythonSignatures.json(name));
		});
	}

}
