package io.celery4j.control;

import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.celery4j.broker.memory.MemoryBroker;
import org.jspecify.annotations.Nullable;

/**
 * Reply queues of a {@code memory://} broker, shared by everything in the JVM using the
 * same broker instance.
 */
final class MemoryReplyQueues implements ReplyQueues {

	private static final Map<MemoryBroker, MemoryReplyQueues> INSTANCES = new WeakHashMap<>();

	private final Map<String, BlockingQueue<String>> queues = new ConcurrentHashMap<>();

	static MemoryReplyQueues of(MemoryBroker broker) {
		synchronized (INSTANCES) {
			return INSTANCES.computeIfAbsent(broker, (key) -> new MemoryReplyQueues());
		}
	}

	@Override
	public void bind(String oid) {
		this.queues.putIfAbsent(oid, new LinkedBlockingQueue<>());
	}

	@Override
	public void unbind(String oid) {
		this.queues.remove(oid);
	}

	@Override
	public void push(String routingKey, String envelope) {
		BlockingQueue<String> queue = this.queues.get(routingKey);
		if (queue != null) {
			queue.add(envelope);
		}
	}

	@Override
	public @Nullable String pop(String oid, Duration timeout) throws InterruptedException {
		BlockingQueue<String> queue = this.queues.get(oid);
		return (queue != null) ? queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS) : null;
	}

}
