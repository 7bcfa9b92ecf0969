package io.celery4j.backend;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DisabledResultBackendTests {

	private final DisabledResultBackend backend = new DisabledResultBackend();

	@Test
	void storesNothing() {
		this.backend.store(TaskMetas.success("t1", 5));
		assertThat(this.backend.get("t1").status()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void awaitFailsAtOnceNamingTheTaskAndTheProperty() {
		assertThatIllegalStateException().isThrownBy(() -> this.backend.await("t1", Duration.ofDays(1)))
			.withMessageContaining("t1")
			.withMessageContaining("no result backend is configured")
			.withMessageContaining("celery.result-backend");
	}

	@Test
	void chordPartFailsNamingTheTaskTheChordAndTheProperty() {
		ChordPart part = new ChordPart("g1", 0, new ChordMember("t1", TaskState.SUCCESS, 1));
		assertThatIllegalStateException().isThrownBy(() -> this.backend.onChordPartReturn(part))
			.withMessageContaining("Task t1")
			.withMessageContaining("chord g1")
			.withMessageContaining("celery.result-backend");
	}

	@Test
	void describesItselfAsDisabled() {
		this.backend.ping();
		assertThat(this.backend.maskedUrl()).isEqualTo("disabled");
	}

}
