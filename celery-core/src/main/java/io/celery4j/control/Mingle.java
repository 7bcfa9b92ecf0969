package io.celery4j.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.broker.redis.RedisBroker;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerExtension;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Celery's mingle: when a worker starts, before it fetches its first message, it
 * broadcasts {@code hello} with its node name and revoked ids, waits one second for the
 * other workers' replies (Java and Python alike) and merges the revoked ids and clocks
 * they send, so that a task revoked before this worker started is not run by it. Other
 * workers' {@code hello} is answered by the {@link Pidbox}. Only on Redis, as Celery
 * mingles only on transports with a shared broadcast. Counterpart of
 * {@code celery.worker.consumer.mingle.Mingle}; wire details in PROTOCOL.md 7.4 and
 * {@code vectors/seq-mingle-second-worker.txt}.
 *
 * <pre class="code">
 * worker.addExtension(new Mingle());
 * worker.addExtension(new Pidbox(false));
 * </pre>
 */
public final class Mingle implements WorkerExtension {

	/** How long Celery's mingle waits for replies. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(Mingle.class);

	private final Duration timeout;

	/**
	 * Create a mingle step that waits one second for replies, as Celery's.
	 */
	public Mingle() {
		this(DEFAULT_TIMEOUT);
	}

	/**
	 * Create a mingle step.
	 * @param timeout how long to wait for replies
	 */
	public Mingle(Duration timeout) {
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.timeout = timeout;
	}

	@Override
	public void beforeConsuming(WorkerContainer worker) {
		if (!(worker.getBroker() instanceof RedisBroker)) {
			logger.debug("Worker {}: no mingle on {}: no other process shares its broadcast",
					worker.getOptions().nodeName(), worker.getBroker().maskedUrl());
			return;
		}
		String node = worker.getOptions().nodeName();
		logger.info("mingle: searching for neighbors");
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("from_node", node);
		arguments.put("revoked", worker.getRevoked().toMingleData());
		CeleryControl control = new CeleryControl(worker.getBroker(), this.timeout, worker.getClock());
		Map<String, @Nullable Object> replies = control.broadcast("hello", arguments, null, true, this.timeout);
		int synced = 0;
		for (Map.Entry<String, @Nullable Object> reply : replies.entrySet()) {
			// A worker receives its own hello too; a null reply means "nothing to share".
			if (!reply.getKey().equals(node) && reply.getValue() instanceof Map<?, ?> data) {
				merge(worker, reply.getKey(), data);
				synced++;
			}
		}
		if (synced == 0) {
			logger.info("mingle: all alone");
			return;
		}
		logger.info("mingle: sync with {} nodes", synced);
		logger.info("mingle: sync complete");
	}

	private void merge(WorkerContainer worker, String from, Map<?, ?> data) {
		if (data.get("revoked") instanceof Map<?, ?> revoked && !revoked.isEmpty()) {
			List<String> ids = new ArrayList<>();
			revoked.keySet().forEach((id) -> ids.add(String.valueOf(id)));
			// The times in the reply are the sender's monotonic clock, meaningless here:
			// the ids count as revoked now.
			worker.getRevoked().addAll(ids);
			logger.debug("mingle: {} revoked task id(s) from {}", ids.size(), from);
		}
		if (data.get("clock") instanceof Number clock) {
			worker.getClock().adjust(clock.longValue());
		}
	}

	@Override
	public void start(WorkerContainer worker) {
	}

	@Override
	public void stop(WorkerContainer worker) {
	}

	@Override
	public String toString() {
		return "mingle";
	}

}
