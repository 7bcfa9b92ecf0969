package io.celery4j.worker;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.celery4j.broker.Delivery;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.task.TaskDefinition;
import org.jspecify.annotations.Nullable;

/**
 * One task message accepted by a worker, from receipt until it is acknowledged.
 * Counterpart of Celery's {@code celery.worker.request.Request}.
 */
public final class TaskRequest {

	private final Delivery delivery;

	private final TaskMessage message;

	private final TaskDefinition task;

	private final Instant receivedAt;

	private final @Nullable Instant eta;

	private final @Nullable Instant expires;

	private final AtomicBoolean settled = new AtomicBoolean();

	private final AtomicBoolean countsAgainstPrefetch = new AtomicBoolean(true);

	private final AtomicInteger terminateSignal = new AtomicInteger();

	private final AtomicBoolean revokeAnnounced = new AtomicBoolean();

	private volatile boolean interruptedByShutdown;

	private final Object taskLock = new Object();

	private final AtomicBoolean completed = new AtomicBoolean();

	private volatile boolean softTimeLimitExceeded;

	/** The thread running the task's code, only while it runs; guarded by taskLock. */
	private @Nullable Thread taskThread;

	private volatile @Nullable Instant startedAt;

	TaskRequest(Delivery delivery, TaskMessage message, TaskDefinition task, @Nullable Instant eta,
			@Nullable Instant expires) {
		this.delivery = delivery;
		this.message = message;
		this.task = task;
		this.receivedAt = Instant.now();
		this.eta = eta;
		this.expires = expires;
	}

	public Delivery getDelivery() {
		return this.delivery;
	}

	public TaskMessage getMessage() {
		return this.message;
	}

	public TaskDefinition getTask() {
		return this.task;
	}

	public String getId() {
		return this.message.id();
	}

	public String getName() {
		return this.task.name();
	}

	public Instant getReceivedAt() {
		return this.receivedAt;
	}

	public @Nullable Instant getEta() {
		return this.eta;
	}

	public @Nullable Instant getExpires() {
		return this.expires;
	}

	public @Nullable Instant getStartedAt() {
		return this.startedAt;
	}

	/**
	 * Return whether the message was settled: acknowledged, or given back to its queue.
	 * @return whether {@link #settle()} was called
	 */
	public boolean isSettled() {
		return this.settled.get();
	}

	/**
	 * Mark the message as settled (acknowledged or given back).
	 * @return {@code true} the first time only, so a message is acknowledged or given
	 * back once, never both
	 */
	boolean settle() {
		return this.settled.compareAndSet(false, true);
	}

	/**
	 * Stop counting this request against the prefetch limit.
	 * @return {@code true} if it counted, so its slot is given back once
	 */
	boolean releasePrefetchSlot() {
		return this.countsAgainstPrefetch.compareAndSet(true, false);
	}

	/**
	 * Count this request against the prefetch limit again (an eta request that is due).
	 * @return {@code true} if it did not count, so its slot is taken once
	 */
	boolean takePrefetchSlot() {
		return this.countsAgainstPrefetch.compareAndSet(false, true);
	}

	/**
	 * Interrupt the task's code because the shutdown timeout passed, if it runs now, and
	 * remember that the shutdown did.
	 */
	void interruptByShutdown() {
		synchronized (this.taskLock) {
			this.interruptedByShutdown = true;
			if (this.taskThread != null) {
				this.taskThread.interrupt();
			}
		}
	}

	/**
	 * Interrupt the task's code because its soft time limit passed, if it runs now, and
	 * remember that the limit did.
	 */
	void interruptBySoftTimeLimit() {
		synchronized (this.taskLock) {
			if (this.taskThread != null) {
				this.softTimeLimitExceeded = true;
				this.taskThread.interrupt();
			}
		}
	}

	/**
	 * Return whether the soft time limit interrupted this request.
	 * @return whether {@link #interruptBySoftTimeLimit()} reached the task
	 */
	boolean isSoftTimeLimitExceeded() {
		return this.softTimeLimitExceeded;
	}

	/**
	 * Claim the end of the run: the tracer when the task returns, or the time limit
	 * supervisor when the hard limit passes first. Only the first caller stores a result.
	 * @return whether this caller ends the run
	 */
	boolean complete() {
		return this.completed.compareAndSet(false, true);
	}

	/**
	 * Return whether the worker's shutdown interrupted this request.
	 * @return whether {@link #markInterruptedByShutdown()} was called
	 */
	boolean isInterruptedByShutdown() {
		return this.interruptedByShutdown;
	}

	/**
	 * Record that a {@code revoke} with {@code terminate} asked to stop this request.
	 * @param signum the signal number Celery would send (15 for SIGTERM)
	 * @return {@code true} the first time only
	 */
	boolean requestTermination(int signum) {
		return this.terminateSignal.compareAndSet(0, signum);
	}

	/**
	 * Return the signal of a terminating revoke.
	 * @return the signal number, 0 when the request was not terminated
	 */
	int getTerminateSignal() {
		return this.terminateSignal.get();
	}

	/**
	 * Mark the request as revoked (REVOKED stored, {@code task-revoked} sent).
	 * @return {@code true} the first time only, so a revoke is announced once
	 */
	boolean announceRevoked() {
		return this.revokeAnnounced.compareAndSet(false, true);
	}

	/**
	 * Return whether the request was announced as revoked.
	 * @return whether {@link #announceRevoked()} was called
	 */
	boolean isRevokeAnnounced() {
		return this.revokeAnnounced.get();
	}

	/**
	 * Return whether the task's code runs now.
	 * @return whether it is between {@link #enterTask()} and {@link #leaveTask()}
	 */
	boolean isTaskRunning() {
		synchronized (this.taskLock) {
			return this.taskThread != null;
		}
	}

	/**
	 * Return whether the task's code runs now on a given thread.
	 * @param thread the thread
	 * @return whether the task still runs there
	 */
	boolean isTaskRunningOn(Thread thread) {
		synchronized (this.taskLock) {
			return this.taskThread == thread;
		}
	}

	/**
	 * Interrupt the task's code for a terminating revoke.
	 * @return the interrupted thread, {@code null} when the task's code does not run now
	 */
	@Nullable Thread interruptForTerminate() {
		synchronized (this.taskLock) {
			Thread thread = this.taskThread;
			if (thread != null) {
				thread.interrupt();
			}
			return thread;
		}
	}

	/**
	 * Record that the task's code starts on the current thread; until
	 * {@link #leaveTask()} a shutdown may interrupt it.
	 */
	void enterTask() {
		synchronized (this.taskLock) {
			this.startedAt = Instant.now();
			this.taskThread = Thread.currentThread();
		}
	}

	/**
	 * Record that the task's code returned. No interrupt reaches the thread from now on,
	 * and a pending one is cleared: it was meant for the task, and must not cut short the
	 * storing of the result and the acknowledgement that follow (Redis commands fail on
	 * an interrupted thread).
	 */
	void leaveTask() {
		synchronized (this.taskLock) {
			this.taskThread = null;
			Thread.interrupted();
		}
	}

	/**
	 * Return the name and id as Celery writes them in logs: {@code tasks.add[<id>]}.
	 * @return the label
	 */
	@Override
	public String toString() {
		return getName() + "[" + getId() + "]";
	}

}
