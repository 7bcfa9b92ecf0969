package io.celery4j.broker;

import java.nio.charset.StandardCharsets;

import io.celery4j.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopesTests {

	@Test
	void inspectReadsTheDeliveryTagAndDeliveryInfoOfAPythonMessage() {
		Envelopes.Info info = Envelopes.inspect(KombuVectors.TASK_ADD);
		assertThat(info).isEqualTo(new Envelopes.Info(true, "1bdf5057-62ff-4e48-b70d-0af431ff1180", "", "celery"));
	}

	@Test
	void inspectReadsCompactJson() {
		Envelopes.Info info = Envelopes.inspect(
				"{\"properties\":{\"delivery_info\":{\"routing_key\":\"q\",\"exchange\":\"x\"},\"delivery_tag\":\"t\"}}");
		assertThat(info).isEqualTo(new Envelopes.Info(true, "t", "x", "q"));
	}

	@Test
	void inspectReportsTextThatIsNotOneJsonObjectAsMalformed() {
		assertThat(Envelopes.inspect("not json").wellFormed()).isFalse();
		assertThat(Envelopes.inspect("{\"properties\": {\"delivery_tag\": \"t\"}").wellFormed()).isFalse();
		assertThat(Envelopes.inspect("{} {}").wellFormed()).isFalse();
		assertThat(Envelopes.inspect("[1, 2]").wellFormed()).isFalse();
		assertThat(Envelopes.inspect("").wellFormed()).isFalse();
	}

	@Test
	void inspectOfAnObjectWithoutPropertiesFindsNothing() {
		assertThat(Envelopes.inspect("{\"body\": \"x\"}")).isEqualTo(new Envelopes.Info(true, null, null, null));
	}

	@Test
	void parseFindsWhatInspectFindsAndHandsTheTreeOnOnce() {
		Envelopes.Parsed parsed = Envelopes.parse("celery", KombuVectors.TASK_ADD);
		assertThat(parsed.wellFormed()).isTrue();
		assertThat(parsed.delivery())
			.isEqualTo(Envelopes.inspect(KombuVectors.TASK_ADD).delivery("celery", KombuVectors.TASK_ADD));
		assertThat(parsed.delivery().takeParsedEnvelope()).isEqualTo(Json.read(KombuVectors.TASK_ADD));
		assertThat(parsed.delivery().takeParsedEnvelope()).isNull();
	}

	@Test
	void parseOfTheUtf8BytesFindsWhatParseOfTheTextFinds() {
		String text = "{\"properties\": {\"delivery_tag\": \"t\u00e9\", \"delivery_info\": {\"exchange\": \"x\"}}}";
		Envelopes.Parsed parsed = Envelopes.parse("q", text, text.getBytes(StandardCharsets.UTF_8));
		assertThat(parsed.delivery()).isEqualTo(new Delivery("q", "t\u00e9", "x", "q", text));
		assertThat(parsed.delivery().takeParsedEnvelope()).isEqualTo(Json.read(text));
		assertThat(Envelopes.parse("q", "{} {}", "{} {}".getBytes(StandardCharsets.UTF_8)).wellFormed()).isFalse();
	}

	@Test
	void parseReportsTextThatIsNotOneJsonObjectAsMalformedWithoutATree() {
		for (String text : new String[] { "not json", "{\"properties\": {\"delivery_tag\": \"t\"}", "{} {}", "[1, 2]",
				"" }) {
			Envelopes.Parsed parsed = Envelopes.parse("emails", text);
			assertThat(parsed.wellFormed()).as(text).isFalse();
			assertThat(parsed.delivery().routingKey()).isEqualTo("emails");
			assertThat(parsed.delivery().takeParsedEnvelope()).isNull();
		}
	}

	@Test
	void deliveryGeneratesATagAndDefaultsTheRoutingToTheQueue() {
		Delivery delivery = Envelopes.inspect("garbage").delivery("emails", "garbage");
		assertThat(delivery.deliveryTag()).matches("[0-9a-f-]{36}");
		assertThat(delivery.exchange()).isEmpty();
		assertThat(delivery.routingKey()).isEqualTo("emails");
		assertThat(delivery.queue()).isEqualTo("emails");
		assertThat(delivery.envelope()).isEqualTo("garbage");
	}

	@Test
	void markRedeliveredWritesWhatKombuWrites() {
		String original = KombuVectors.TASK_RESTORED.replace(", \"redelivered\": true", "");
		assertThat(original).doesNotContain("redelivered");
		assertThat(Envelopes.markRedelivered(original)).isEqualTo(KombuVectors.TASK_RESTORED);
	}

	@Test
	void markRedeliveredLeavesAMarkedMessageAsItIs() {
		assertThat(Envelopes.markRedelivered(KombuVectors.TASK_RESTORED)).isEqualTo(KombuVectors.TASK_RESTORED);
	}

	@Test
	void markRedeliveredFillsEmptyObjects() {
		assertThat(Envelopes.markRedelivered("{\"headers\":{},\"properties\":{\"delivery_info\":{}}}")).isEqualTo(
				"{\"headers\":{\"redelivered\": true},\"properties\":{\"delivery_info\":{\"redelivered\": true}}}");
	}

	@Test
	void markRedeliveredMarksOnlyTheHeadersWhenThereIsNoDeliveryInfo() {
		assertThat(Envelopes.markRedelivered("{\"properties\": {}, \"headers\": {\"a\": 1}}"))
			.isEqualTo("{\"properties\": {}, \"headers\": {\"a\": 1, \"redelivered\": true}}");
	}

	@Test
	void markRedeliveredChangesNothingWithoutHeadersAsKombu() {
		String envelope = "{\"properties\": {\"delivery_info\": {\"exchange\": \"\"}}}";
		assertThat(Envelopes.markRedelivered(envelope)).isEqualTo(envelope);
	}

	@Test
	void markRedeliveredReplacesAFalseMark() {
		assertThat(Envelopes.markRedelivered(
				"{\"headers\": {\"redelivered\": false, \"n\": 1.5}, \"properties\": {\"delivery_info\": {}}}"))
			.isEqualTo(
					"{\"headers\":{\"redelivered\":true,\"n\":1.5},\"properties\":{\"delivery_info\":{\"redelivered\":true}}}");
	}

	@Test
	void markRedeliveredReturnsTextThatIsNotJsonUnchanged() {
		assertThat(Envelopes.markRedelivered("not json {")).isEqualTo("not json {");
	}

	@Test
	void markRedeliveredKeepsEscapesAndNonAsciiText() {
		String envelope = "{\"headers\": {\"argsrepr\": \"('caf\\u00e9', \\\"x\\\")\", \"k\": \"Zoë\"}}";
		assertThat(Envelopes.markRedelivered(envelope)).isEqualTo(
				"{\"headers\": {\"argsrepr\": \"('caf\\u00e9', \\\"x\\\")\", \"k\": \"Zoë\", \"redelivered\": true}}");
	}

}
