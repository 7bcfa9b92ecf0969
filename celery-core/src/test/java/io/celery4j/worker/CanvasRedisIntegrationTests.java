package io.celery4j.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.backend.TaskMeta;
import io.celery4j.canvas.Signature;
import io.celery4j.protocol.Embed;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chords on the Redis broker and backend with several Java workers finishing header tasks
 * at the same time: the body is sent exactly once.
 */
class CanvasRedisIntegrationTests {

	private final TestWorker harness = TestWorker.onRedis(14, 15);

	private final TaskMessageCodec codec = new TaskMessageCodec();

	private final Map<String, AtomicInteger> bodyRuns = new ConcurrentHashMap<>();

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void firesTheBodyOnceWhenThreeWorkersShareTheHeader() throws InterruptedException {
		this.harness.task("tasks.double", (context) -> ((Number) context.getArgs().get(0)).intValue() * 2)
			.task("tasks.xsum", (context) -> {
				this.bodyRuns.computeIfAbsent(context.getId(), (id) -> new AtomicInteger()).incrementAndGet();
				return ((List<?>) context.getArgs().get(0)).stream().mapToLong((n) -> ((Number) n).longValue()).sum();
			});
		for (int i = 0; i < 3; i++) {
			this.harness.start(this.harness.options(PoolType.THREADS, 4));
		}
		for (int round = 0; round < 3; round++) {
			Signature body = Signature.of("tasks.xsum").withTaskId(UUID.randomUUID().toString());
			String groupId = UUID.randomUUID().toString();
			int size = 100;
			this.harness.backend.setChordSize(groupId, size);
			long expected = 0;
			for (int i = 0; i < size; i++) {
				TaskMessage member = TaskMessage.builder("tasks.double")
					.args(List.of(i))
					.queue(this.harness.queue)
					.group(groupId, i)
					.embed(new Embed(null, null, null, body.toJson()))
					.build();
				this.harness.broker.publish(this.harness.queue, 0, this.codec.encode(member));
				expected += 2L * i;
			}
			TaskMeta result = this.harness.backend.await(body.taskId(), TestWorker.TIMEOUT.multipliedBy(4));
			assertThat(((Number) result.result()).longValue()).isEqualTo(expected);
			assertThat(this.bodyRuns.get(body.taskId())).hasValue(1);
		}
		List<String> ids = new ArrayList<>(this.bodyRuns.keySet());
		assertThat(ids).hasSize(3);
	}

}
