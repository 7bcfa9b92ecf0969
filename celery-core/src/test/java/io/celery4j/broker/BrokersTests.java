package io.celery4j.broker;

import io.celery4j.broker.memory.MemoryBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BrokersTests {

	@Test
	void createsAMemoryBrokerForTheMemoryScheme() {
		try (Broker broker = Brokers.create("memory://")) {
			assertThat(broker).isInstanceOf(MemoryBroker.class);
			assertThat(broker.maskedUrl()).isEqualTo("memory://");
		}
	}

	@Test
	void eachMemoryUrlGivesASeparateBroker() {
		try (Broker first = Brokers.create("memory://"); Broker second = Brokers.create("memory://")) {
			assertThat(first).isNotSameAs(second);
		}
	}

	@Test
	void rejectsAnUnsupportedSchemeNamingTheMaskedUrlAndWhatIsAccepted() {
		assertThatIllegalArgumentException().isThrownBy(() -> Brokers.create("amqp://guest:secret@rabbit:5672//"))
			.withMessageContaining("amqp://guest:****@rabbit:5672//")
			.withMessageContaining("redis://, rediss:// or memory://")
			.withMessageNotContaining("secret");
	}

	@Test
	void masksThePasswordOfAUrl() {
		assertThat(Brokers.mask("redis://:s3cret@redis:6379/2")).isEqualTo("redis://:****@redis:6379/2");
	}

}
