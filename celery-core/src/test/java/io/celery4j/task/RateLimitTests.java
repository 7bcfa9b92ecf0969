package io.celery4j.task;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class RateLimitTests {

	@Test
	void readsPerSecondPerMinuteAndPerHour() {
		assertThat(perSecond("10/s")).isEqualTo(10.0);
		assertThat(perSecond("500/m")).isCloseTo(500 / 60.0, within(1e-9));
		assertThat(perSecond("100/h")).isCloseTo(100 / 3600.0, within(1e-9));
	}

	@Test
	void readsAPlainNumberAsTasksPerSecond() {
		assertThat(perSecond("2.5")).isEqualTo(2.5);
	}

	@Test
	void readsOnlyTheFirstLetterOfTheUnitLikeCelery() {
		assertThat(perSecond("60/min")).isEqualTo(1.0);
	}

	@Test
	void treatsEmptyAndZeroAsNoLimit() {
		assertThat(RateLimit.parse("", RateLimit.Scope.WORKER)).isNull();
		assertThat(RateLimit.parse("0", RateLimit.Scope.WORKER)).isNull();
		assertThat(RateLimit.parse("0/m", RateLimit.Scope.WORKER)).isNull();
	}

	@Test
	void rejectsAnUnknownUnitNamingTheValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("10/d", RateLimit.Scope.WORKER))
			.withMessageContaining("'10/d'")
			.withMessageContaining("'10/s'");
	}

	@Test
	void rejectsText() {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("fast", RateLimit.Scope.WORKER))
			.withMessageContaining("'fast'");
	}

	private static double perSecond(String expression) {
		RateLimit limit = RateLimit.parse(expression, RateLimit.Scope.WORKER);
		assertThat(limit).isNotNull();
		return limit.perSecond();
	}

}
