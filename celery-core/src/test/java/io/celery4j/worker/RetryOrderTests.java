package io.celery4j.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celery4j.backend.TaskState;
import io.celery4j.broker.Broker;
import io.celery4j.client.AsyncResult;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.RetryOptions;
import io.celery4j.testsupport.ForwardingBroker;
import io.celery4j.worker.pool.PoolType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker stores RETRY before it publishes the retry message: the retry may run at
 * once on another thread or worker, and a RETRY stored after its outcome would overwrite
 * that outcome (the client would then wait for a result that never comes).
 */
class RetryOrderTests {

	/** State stored for a task id when its retry message was published. */
	private final Map<String, String> stateAtRetryPublish = new ConcurrentHashMap<>();

	private final TestWorker harness = TestWorker.onMemory(RecordingBroker::new);

	RetryOrderTests() {
		this.harness.task("tasks.retry_once", (context) -> {
			if (context.getRetries() == 0) {
				throw context.retry(RetryOptions.defaults().countdown(Duration.ZERO));
			}
			return "retried";
		});
	}

	@AfterEach
	void close() {
		this.harness.close();
	}

	@Test
	void retryIsPublishedOnlyOnceRetryIsStored() {
		this.harness.start(this.harness.options(PoolType.THREADS, 2));
		AsyncResult result = this.harness.send("tasks.retry_once");
		assertThat(result.get(TestWorker.TIMEOUT)).isEqualTo("retried");
		assertThat(this.stateAtRetryPublish).containsExactly(Map.entry(result.getId(), TaskState.RETRY));
	}

	/**
	 * The real memory broker, noting the stored state of every retry message's task when
	 * it is published.
	 */
	private final class RecordingBroker extends ForwardingBroker {

		private final TaskMessageCodec codec = new TaskMessageCodec();

		RecordingBroker(Broker delegate) {
			super(delegate);
		}

		@Override
		public void publish(String queue, int priority, String envelope) {
			var headers = this.codec.decode(envelope).headers();
			if (headers.retries() > 0) {
				RetryOrderTests.this.stateAtRetryPublish.put(headers.id(),
						RetryOrderTests.this.harness.backend.get(headers.id()).status());
			}
			super.publish(queue, priority, envelope);
		}

	}

}
