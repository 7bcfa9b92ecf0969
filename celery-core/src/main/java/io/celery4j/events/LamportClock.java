package io.celery4j.events;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A Lamport clock as Celery keeps one per worker and client: every event and remote
 * control message carries its value, and receivers move forward past the values they see.
 * Counterpart of kombu's {@code kombu.clocks.LamportClock}. Thread-safe.
 */
public final class LamportClock {

	private final AtomicLong value = new AtomicLong();

	/**
	 * Advance the clock for a message this process sends.
	 * @return the new value
	 */
	public long forward() {
		return this.value.incrementAndGet();
	}

	/**
	 * Move past a value received from another process: {@code max(own, other) + 1}.
	 * @param other the received value
	 * @return the new value
	 */
	public long adjust(long other) {
		return this.value.updateAndGet((own) -> Math.max(own, other) + 1);
	}

	/**
	 * Return the current value without advancing.
	 * @return the value
	 */
	public long value() {
		return this.value.get();
	}

}
