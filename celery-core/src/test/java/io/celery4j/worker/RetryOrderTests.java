package io.celery4j.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celery4j.backend.TaskState;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Delivery;
import io.celery4j.client.AsyncResult;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.RetryOptions;
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
	private final class RecordingBroker implements Broker {

		private final TaskMessageCodec codec = new TaskMessageCodec();

		private final Broker delegate;

		RecordingBroker(Broker delegate) {
			this.delegate = delegate;
		}

		@Override
		public void publish(String queue, int priority, String envelope) {
			var headers = this.codec.decode(envelope).headers();
			if (headers.retries() > 0) {
				RetryOrderTests.this.stateAtRetryPublish.put(headers.id(),
						RetryOrderTests.this.harness.backend.get(headers.id()).status());
			}
			this.delegate.publish(queue, priority, envelope);
		}

		@Override
		public void declareQueue(String queue) {
			this.delegate.declareQueue(queue);
		}

		@Override
		public List<Delivery> fetch(List<String> queues, int max, Duration timeout) throws InterruptedException {
			return this.delegate.fetch(queues, max, timeout);
		}

		@Override
		public void ack(Delivery delivery) {
			this.delegate.ack(delivery);
		}

		@Override
		public void requeue(Delivery delivery) {
			this.delegate.requeue(delivery);
		}

		@Override
		public void restore(Collection<Delivery> deliveries) {
			this.delegate.restore(deliveries);
		}

		@Override
		public int restoreExpired(Duration visibilityTimeout) {
			return this.delegate.restoreExpired(visibilityTimeout);
		}

		@Override
		public long queueLength(String queue) {
			return this.delegate.queueLength(queue);
		}

		@Override
		public void ping() {
			this.delegate.ping();
		}

		@Override
		public String maskedUrl() {
			return this.delegate.maskedUrl();
		}

		@Override
		public void close() {
			this.delegate.close();
		}

	}

}
