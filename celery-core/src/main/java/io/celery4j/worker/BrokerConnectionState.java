package io.celery4j.worker;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks whether the broker answers and how long to wait before trying again: one log
 * line per change of state, exponential back-off from 1 s to 30 s in between.
 */
final class BrokerConnectionState {

	private static final Logger logger = LoggerFactory.getLogger(BrokerConnectionState.class);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final String brokerUrl;

	private volatile boolean up = true;

	private Duration backoff = Duration.ofSeconds(1);

	BrokerConnectionState(String brokerUrl) {
		this.brokerUrl = brokerUrl;
	}

	void succeeded() {
		if (!this.up) {
			this.up = true;
			this.backoff = Duration.ofSeconds(1);
			logger.warn("Broker {} is back; consuming again", this.brokerUrl);
		}
	}

	void failed(RuntimeException ex) {
		if (this.up) {
			this.up = false;
			logger.warn("Broker {} lost: {}; retrying with back-off up to {}s", this.brokerUrl, ex.getMessage(),
					MAX_BACKOFF.toSeconds());
		}
	}

	boolean isUp() {
		return this.up;
	}

	/**
	 * Return how long to wait before the next attempt, and double it for the one after.
	 * @return the delay
	 */
	Duration nextBackoff() {
		Duration delay = this.backoff;
		Duration doubled = delay.multipliedBy(2);
		this.backoff = (doubled.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : doubled;
		return delay;
	}

}
