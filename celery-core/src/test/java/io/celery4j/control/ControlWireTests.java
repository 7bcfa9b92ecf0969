package io.celery4j.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.celery4j.events.FanoutMessage;
import io.celery4j.events.Vectors;
import io.celery4j.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote control requests and replies as Celery writes them, compared with the captures
 * in {@code vectors/pidbox-*}.
 */
class ControlWireTests {

	@Test
	void decodesCapturedRequests() {
		ControlRequest ping = ControlRequest.decode(Vectors.read("pidbox-ping-request.json"));
		assertThat(ping.method()).isEqualTo("ping");
		assertThat(ping.ticket()).isEqualTo("611a71fd-86cb-4461-b853-a64939f56b8b");
		assertThat(ping.replyTo()).isEqualTo("e146da9c-d1c9-33fc-b853-6ae6dc479b01");
		assertThat(ping.clock()).isEqualTo(6);
		assertThat(ping.isFor("anyone@host")).isTrue();
		ControlRequest destined = ControlRequest.decode(Vectors.read("pidbox-ping-destination-request.json"));
		assertThat(destined.isFor("celery@vm")).isTrue();
		assertThat(destined.isFor("other@vm")).isFalse();
		ControlRequest cli = ControlRequest.decode(Vectors.read("pidbox-revoke-cli-request.json"));
		assertThat(cli.arguments().get("task_id"))
			.isEqualTo(List.of("11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"));
		ControlRequest noReply = ControlRequest.decode(Vectors.read("pidbox-revoke-noreply-request.json"));
		assertThat(noReply.wantsReply()).isFalse();
		assertThat(ControlRequest.decode(Vectors.read("pidbox-heartbeat-request.json")).wantsReply()).isFalse();
		assertThat(ControlRequest.decode(Vectors.read("pidbox-hello-request.json")).arguments())
			.containsEntry("from_node", "w2@vm");
	}

	@Test
	void matchesNodeNamePatternsLikeKombu() {
		ControlRequest glob = new ControlRequest("ping", Map.of(), null, "celery@*", "glob", null, null, 1);
		assertThat(glob.isFor("celery@vm")).isTrue();
		assertThat(glob.isFor("w2@vm")).isFalse();
		ControlRequest pcre = new ControlRequest("ping", Map.of(), null, "^w\\d@", "pcre", null, null, 1);
		assertThat(pcre.isFor("w2@vm")).isTrue();
		assertThat(pcre.isFor("celery@vm")).isFalse();
	}

	@Test
	void writesRequestsWithCeleryBodyOrderHeadersAndProperties() {
		String captured = Vectors.read("pidbox-ping-request.json");
		ControlRequest request = new ControlRequest("ping", Map.of(), null, null, null,
				"611a71fd-86cb-4461-b853-a64939f56b8b", "e146da9c-d1c9-33fc-b853-6ae6dc479b01", 6);
		String written = request.encode(1795557634.359165);
		FanoutMessage expected = FanoutMessage.decode(captured);
		FanoutMessage actual = FanoutMessage.decode(written);
		assertThat(actual.body()).isEqualTo(expected.body());
		assertThat(Json.write(actual.body())).isEqualTo(Json.write(expected.body()));
		assertThat(actual.headers()).isEqualTo(expected.headers());
		assertThat(actual.deliveryMode()).isEqualTo(2);
		assertThat(actual.exchange()).isEqualTo("celery.pidbox");
		assertThat(actual.routingKey()).isEmpty();
		assertThat(keys(written)).isEqualTo(keys(captured));
	}

	@Test
	void readsCapturedRepliesIntoTheValuesCeleryPrints() {
		FanoutMessage stats = FanoutMessage.decode(Vectors.read("pidbox-stats-reply.json"));
		assertThat(stats.headers()).containsKeys("ticket", "clock");
		assertThat(stats.deliveryMode()).isEqualTo(1);
		assertThat(stats.exchange()).isEqualTo("reply.celery.pidbox");
		Map<?, ?> celery = (Map<?, ?>) ((Map<?, ?>) stats.body()).get("celery@vm");
		assertThat(new ArrayList<Object>(celery.keySet())).containsExactly("total", "pid", "clock", "uptime", "pool",
				"broker", "prefetch_count", "rusage");
		FanoutMessage queues = FanoutMessage.decode(Vectors.read("pidbox-active-queues-reply.json"));
		Object capturedQueue = ((List<?>) ((Map<?, ?>) queues.body()).get("celery@vm")).get(0);
		assertThat(Json.write(WorkerInfo.activeQueues(List.of("celery")).get(0))).isEqualTo(Json.write(capturedQueue));
	}

	@SuppressWarnings("unchecked")
	private static List<String> keys(String envelope) {
		Map<String, Object> root = (Map<String, Object>) Json.read(envelope);
		List<String> keys = new ArrayList<>(root.keySet());
		keys.addAll(((Map<String, Object>) root.get("properties")).keySet());
		keys.addAll(((Map<String, Object>) root.get("headers")).keySet());
		return keys;
	}

}
