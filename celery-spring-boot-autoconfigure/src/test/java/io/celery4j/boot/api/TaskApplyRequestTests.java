package io.celery4j.boot.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TaskApplyRequest}.
 */
class TaskApplyRequestTests {

	@Test
	void readsEveryField() {
		Instant before = Instant.now();
		TaskApplyRequest request = TaskApplyRequest.parse("""
				{"args": [1, "two"], "kwargs": {"x": 3}, "countdown": 1.5,
				 "expires": "2030-01-01T12:00:00.123+02:00", "queue": "reports"}""");
		assertThat(request.args()).containsExactly(1, "two");
		assertThat(request.kwargs()).isEqualTo(Map.of("x", 3));
		assertThat(request.options().queue()).isEqualTo("reports");
		assertThat(request.options().etaFrom(before)).isEqualTo(before.plus(Duration.ofMillis(1500)));
		assertThat(request.options().expiresFrom(before)).isEqualTo(Instant.parse("2030-01-01T10:00:00.123Z"));
	}

	@Test
	void readsDatesWithoutOffsetAsUtc() {
		TaskApplyRequest request = TaskApplyRequest.parse("{\"eta\": \"2030-01-01T12:00:00\"}");
		assertThat(request.options().etaFrom(Instant.now())).isEqualTo(Instant.parse("2030-01-01T12:00:00Z"));
	}

	@Test
	void readsExpiresInSeconds() {
		Instant now = Instant.now();
		TaskApplyRequest request = TaskApplyRequest.parse("{\"expires\": 60}");
		assertThat(request.options().expiresFrom(now)).isEqualTo(now.plusSeconds(60));
	}

	@Test
	void acceptsAnEmptyBody() {
		TaskApplyRequest request = TaskApplyRequest.parse("");
		assertThat(request.args()).isEmpty();
		assertThat(request.kwargs()).isEmpty();
		assertThat(TaskApplyRequest.parse(null).args()).isEqualTo(List.of());
	}

	@Test
	void rejectsMalformedJsonNamingTheProblem() {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> TaskApplyRequest.parse("{\"args\": [1,"))
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST))
			.withMessageStartingWith("Malformed JSON body: ");
	}

	@Test
	void rejectsArgsThatAreNotAnArrayNamingTheField() {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> TaskApplyRequest.parse("{\"args\": 5}"))
			.withMessage("Field 'args': expected a JSON array, got 5 (number)");
	}

	@Test
	void rejectsAnUnreadableEtaNamingTheAcceptedForm() {
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> TaskApplyRequest.parse("{\"eta\": \"tomorrow\"}"))
			.withMessageContaining("Field 'eta'")
			.withMessageContaining("ISO 8601")
			.withMessageContaining("\"tomorrow\" (string)");
	}

	@Test
	void rejectsANegativeCountdown() {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> TaskApplyRequest.parse("{\"countdown\": -1}"))
			.withMessageContaining("Field 'countdown'");
	}

	@Test
	void rejectsUnknownFieldsListingTheAcceptedOnes() {
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> TaskApplyRequest.parse("{\"priority\": 3}"))
			.withMessageContaining("Unknown field 'priority'");
	}

}
