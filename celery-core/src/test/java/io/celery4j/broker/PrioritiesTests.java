package io.celery4j.broker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PrioritiesTests {

	@ParameterizedTest
	@CsvSource({ "0,0", "1,0", "2,0", "3,3", "4,3", "5,3", "6,6", "7,6", "8,6", "9,9", "10,9", "-1,0" })
	void priorityFallsIntoTheLargestStepNotAboveIt(int priority, int step) {
		assertThat(Priorities.step(Priorities.stepIndex(priority))).isEqualTo(step);
	}

}
