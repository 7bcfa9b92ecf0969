package io.celery4j.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledgements sent as group commits: while one {@link RedisScripts#ACK} call is
 * under way, the tags acknowledged meanwhile gather and go out together in the next one,
 * so that tasks finishing together cost one command and one round trip, and a lone ack is
 * sent at once. The caller does not wait for Redis: the command is queued on the
 * connection when {@link #ack} returns (Lettuce writes it at once), and a failure is
 * logged (the message then stays in {@code unacked} and is redelivered after the
 * visibility timeout, as with a failed synchronous ack).
 */
final class Acknowledgements {

	private static final Logger logger = LoggerFactory.getLogger(Acknowledgements.class);

	/** Tags per script call; more wait for the next call. */
	private static final int MAX_BATCH = 2000;

	private static final byte[][] KEYS = { KombuKeys.UNACKED_INDEX, KombuKeys.UNACKED };

	private final NativeCommands commands;

	private final String description;

	private final Object lock = new Object();

	private Batch open = new Batch();

	/** The batch under way, if any; only one is, so acks stay in order. */
	private @Nullable Batch sending;

	Acknowledgements(NativeCommands commands, String description) {
		this.commands = commands;
		this.description = description;
	}

	/**
	 * Acknowledge a message: send its tag now, or with the next batch when one is under
	 * way.
	 * @param tag the delivery tag
	 */
	void ack(String tag) {
		Batch next = null;
		synchronized (this.lock) {
			this.open.tags.add(KombuKeys.bytes(tag));
			if (this.sending == null) {
				next = take();
			}
		}
		if (next != null) {
			send(next);
		}
	}

	/**
	 * Wait until every ack made before this call has been answered by Redis (or failed),
	 * so that a restore that follows cannot see a message acknowledged before it.
	 * @param timeout the most to wait
	 */
	void awaitSent(Duration timeout) {
		CompletableFuture<Void> last;
		synchronized (this.lock) {
			last = !this.open.tags.isEmpty() ? this.open.done
					: (this.sending != null) ? this.sending.done : CompletableFuture.completedFuture(null);
		}
		try {
			last.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Broker {}: acknowledgements still under way after {}", this.description, timeout);
		}
	}

	/** Called with the lock held: the open batch becomes the one under way. */
	private Batch take() {
		Batch batch = this.open;
		if (batch.tags.size() > MAX_BATCH) {
			Batch rest = new Batch();
			rest.tags.addAll(batch.tags.subList(MAX_BATCH, batch.tags.size()));
			batch.tags.subList(MAX_BATCH, batch.tags.size()).clear();
			// Those left for later complete with the later batch.
			rest.done = batch.done;
			batch.done = new CompletableFuture<>();
			this.open = rest;
		}
		else {
			this.open = new Batch();
		}
		this.sending = batch;
		return batch;
	}

	private void send(Batch batch) {
		CompletableFuture<Long> reply;
		try {
			reply = RedisScripts.ACK.runAsync(this.commands.async(), ScriptOutputType.INTEGER, KEYS,
					batch.tags.toArray(byte[][]::new));
		}
		catch (RuntimeException ex) {
			reply = CompletableFuture.failedFuture(ex);
		}
		reply.whenComplete((count, ex) -> {
			if (ex != null) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				logger.warn("Broker {} could not acknowledge {} message(s) ({}); they are redelivered after the "
						+ "visibility timeout", this.description, batch.tags.size(), cause.getMessage());
			}
			batch.done.complete(null);
			sendNext();
		});
	}

	private void sendNext() {
		Batch next = null;
		synchronized (this.lock) {
			this.sending = null;
			if (!this.open.tags.isEmpty()) {
				next = take();
			}
		}
		if (next != null) {
			send(next);
		}
	}

	private static final class Batch {

		final List<byte[]> tags = new ArrayList<>();

		CompletableFuture<Void> done = new CompletableFuture<>();

	}

}
