package io.celery4j.broker.redis;

import java.nio.charset.StandardCharsets;

import io.celery4j.broker.KombuVectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnackedEntryTests {

	@Test
	void writeEmbedsTheMessageAsKombuStoresIt() {
		String message = KombuVectors.UNACKED_ENTRY.substring(1,
				KombuVectors.UNACKED_ENTRY.length() - ", \"\", \"celery\"]".length());
		assertThat(UnackedEntry.write(message, true, "", "celery")).isEqualTo(KombuVectors.UNACKED_ENTRY);
	}

	@Test
	void writeFromTheQueuedBytesEmbedsTheMessageAsKombuStoresIt() {
		String message = KombuVectors.UNACKED_ENTRY.substring(1,
				KombuVectors.UNACKED_ENTRY.length() - ", \"\", \"celery\"]".length());
		assertThat(UnackedEntry.write(message.getBytes(StandardCharsets.UTF_8), "", "celery"))
			.isEqualTo(KombuVectors.UNACKED_ENTRY.getBytes(StandardCharsets.UTF_8));
		assertThat(UnackedEntry.write("{\"a\": \"\u00e9\"}".getBytes(StandardCharsets.UTF_8), "ex\u00e9", "rk"))
			.isEqualTo(
					UnackedEntry.write("{\"a\": \"\u00e9\"}", true, "ex\u00e9", "rk").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void readReturnsTheMessageTextExchangeAndRoutingKey() {
		UnackedEntry entry = UnackedEntry.read(KombuVectors.UNACKED_ENTRY);
		assertThat(entry).isNotNull();
		assertThat(KombuVectors.UNACKED_ENTRY).isEqualTo("[" + entry.message() + ", \"\", \"celery\"]");
		assertThat(entry.object()).isTrue();
		assertThat(entry.exchange()).isEmpty();
		assertThat(entry.routingKey()).isEqualTo("celery");
	}

	@Test
	void textThatIsNotJsonIsStoredAsAStringAndReadBack() {
		String garbage = "not json {\"é\n\u0001\\";
		String written = UnackedEntry.write(garbage, false, "ex", "rk");
		assertThat(written).isEqualTo("[\"not json {\\\"\\u00e9\\n\\u0001\\\\\", \"ex\", \"rk\"]");
		UnackedEntry entry = UnackedEntry.read(written);
		assertThat(entry).isEqualTo(new UnackedEntry(garbage, false, "ex", "rk"));
	}

	@Test
	void readRejectsValuesOfAnotherShape() {
		assertThat(UnackedEntry.read("{\"a\": 1}")).isNull();
		assertThat(UnackedEntry.read("[1, \"\", \"celery\"]")).isNull();
		assertThat(UnackedEntry.read("[{}, 2, \"celery\"]")).isNull();
		assertThat(UnackedEntry.read("not json")).isNull();
	}

	@Test
	void readAcceptsANullRoutingKey() {
		assertThat(UnackedEntry.read("[{}, \"\", null]")).isEqualTo(new UnackedEntry("{}", true, "", null));
	}

}
