package io.celery4j.broker;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueueCycleTests {

	private final QueueCycle cycle = new QueueCycle();

	@Test
	void startsInTheGivenOrderWithoutDuplicates() {
		assertThat(this.cycle.order(List.of("a", "b", "a", "c"))).containsExactly("a", "b", "c");
	}

	@Test
	void movesTheQueueThatDeliveredToTheEnd() {
		this.cycle.order(List.of("a", "b", "c"));
		this.cycle.rotate("a");
		assertThat(this.cycle.order(List.of("a", "b", "c"))).containsExactly("b", "c", "a");
		this.cycle.rotate("c");
		assertThat(this.cycle.order(List.of("c", "b", "a"))).containsExactly("b", "a", "c");
	}

	@Test
	void restartsWhenTheQueuesChange() {
		this.cycle.order(List.of("a", "b"));
		this.cycle.rotate("a");
		assertThat(this.cycle.order(List.of("a", "b", "c"))).containsExactly("a", "b", "c");
	}

	@Test
	void ignoresAQueueItDoesNotServe() {
		this.cycle.order(List.of("a", "b"));
		this.cycle.rotate("z");
		assertThat(this.cycle.order(List.of("a", "b"))).containsExactly("a", "b");
	}

}
