package io.celery4j.backend;

import java.time.Duration;

import io.celery4j.backend.memory.MemoryResultBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ResultBackendsTests {

	private static final Duration DAY = Duration.ofDays(1);

	@Test
	void createsAMemoryBackend() {
		try (ResultBackend backend = ResultBackends.create("memory://", DAY)) {
			assertThat(backend).isInstanceOf(MemoryResultBackend.class);
			assertThat(backend.maskedUrl()).isEqualTo("memory://");
		}
	}

	@Test
	void createsADisabledBackendForDisabledOrEmpty() {
		assertThat(ResultBackends.create("disabled", DAY)).isInstanceOf(DisabledResultBackend.class);
		assertThat(ResultBackends.create("DISABLED", DAY)).isInstanceOf(DisabledResultBackend.class);
		assertThat(ResultBackends.create("", DAY)).isInstanceOf(DisabledResultBackend.class);
		assertThat(ResultBackends.create(" ", DAY)).isInstanceOf(DisabledResultBackend.class);
		assertThat(ResultBackends.create(null, DAY)).isInstanceOf(DisabledResultBackend.class);
	}

	@Test
	void rejectsAnUnsupportedUrlWithoutShowingItsPassword() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ResultBackends.create("amqp://guest:s3cret@rabbit:5672//", DAY))
			.withMessageContaining("amqp://guest:****@rabbit:5672//")
			.withMessageContaining("celery.result-backend")
			.withMessageContaining("redis://")
			.withMessageContaining("memory://")
			.withMessageContaining("disabled")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void rejectsTextThatIsNoUrl() {
		assertThatIllegalArgumentException().isThrownBy(() -> ResultBackends.create("localhost:6379", DAY))
			.withMessageContaining("'localhost:6379'");
	}

	@Test
	void rejectsANegativeExpiry() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ResultBackends.create("memory://", Duration.ofSeconds(-5)))
			.withMessageContaining("celery.result-expires")
			.withMessageContaining("-5");
	}

}
