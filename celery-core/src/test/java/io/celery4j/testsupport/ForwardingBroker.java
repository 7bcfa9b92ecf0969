package io.celery4j.testsupport;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.celery4j.broker.Broker;
import io.celery4j.broker.Delivery;

/**
 * A {@link Broker} that forwards every call to another one, for tests that watch or
 * change a few calls by overriding them.
 */
public class ForwardingBroker implements Broker {

	private final Broker delegate;

	public ForwardingBroker(Broker delegate) {
		this.delegate = delegate;
	}

	@Override
	public void declareQueue(String queue) {
		this.delegate.declareQueue(queue);
	}

	@Override
	public void publish(String queue, int priority, String envelope) {
		this.delegate.publish(queue, priority, envelope);
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
