package io.celery4j.worker.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * A fixed set of threads taking work from one queue. The threads are platform or virtual
 * depending on the {@link ThreadFactory}; the queue holds work accepted but not started,
 * which {@link #drainPending()} takes back at shutdown so it can be returned to the
 * broker. Counterpart of Celery's {@code celery.concurrency.base.BasePool}.
 */
public final class TaskPool {

	private static final Logger logger = LoggerFactory.getLogger(TaskPool.class);

	private static final Runnable STOP = () -> {
	};

	private final PoolType type;

	private final int size;

	private final BlockingQueue<Runnable> pending = new LinkedBlockingQueue<>();

	private final ThreadFactory threadFactory;

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	/** Threads replaced while their work overran; each ends when its work returns. */
	private final Set<Thread> retired = ConcurrentHashMap.newKeySet();

	private final AtomicInteger busy = new AtomicInteger();

	TaskPool(PoolType type, int size, ThreadFactory threadFactory) {
		Assert.isTrue(size > 0, "'size' must be positive");
		this.type = type;
		this.size = size;
		this.threadFactory = threadFactory;
		for (int i = 0; i < size; i++) {
			Thread thread = threadFactory.newThread(this::work);
			this.threads.add(thread);
			thread.start();
		}
	}

	private void work() {
		while (true) {
			Runnable work;
			try {
				work = this.pending.take();
			}
			catch (InterruptedException ex) {
				return;
			}
			if (work == STOP) {
				return;
			}
			this.busy.incrementAndGet();
			boolean replaced = false;
			try {
				work.run();
			}
			catch (Throwable ex) {
				// Work items handle their own failures; this guards the pool thread.
				logger.error("Pool thread {} caught an unexpected error", Thread.currentThread().getName(), ex);
			}
			finally {
				replaced = this.retired.remove(Thread.currentThread());
				if (!replaced) {
					this.busy.decrementAndGet();
				}
				// A task may interrupt itself or be interrupted by a revoke: never carry
				// that into the next task.
				Thread.interrupted();
			}
			if (replaced) {
				// Another thread took this one's place while its task overran.
				return;
			}
		}
	}

	/**
	 * Accept work; it runs when a thread is free.
	 * @param work the work
	 */
	public void execute(Runnable work) {
		this.pending.add(work);
	}

	/**
	 * Give up on a thread whose work does not end (a hard time limit, or a terminate that
	 * the task ignored): interrupt it, start a new thread in its place so the pool keeps
	 * its size, and let the old one end when its work returns. The JVM cannot stop a
	 * thread that ignores interrupts; it goes on in the background without counting as
	 * busy.
	 * @param thread a thread of this pool
	 * @return whether the thread belonged to the pool and was replaced
	 */
	public boolean replace(Thread thread) {
		Thread fresh;
		synchronized (this.threads) {
			if (!this.threads.remove(thread)) {
				return false;
			}
			this.retired.add(thread);
			this.busy.decrementAndGet();
			thread.interrupt();
			fresh = this.threadFactory.newThread(this::work);
			this.threads.add(fresh);
			fresh.start();
		}
		logger.debug("Pool thread {} replaced by {}", thread.getName(), fresh.getName());
		return true;
	}

	/**
	 * Take back the work that was accepted but has not started.
	 * @return the pending work, in the order it was accepted
	 */
	public List<Runnable> drainPending() {
		List<Runnable> drained = new ArrayList<>();
		this.pending.drainTo(drained);
		drained.removeIf((work) -> work == STOP);
		return drained;
	}

	/**
	 * Let the threads finish their current work and end, waiting at most the given time.
	 * Pending work should have been drained first.
	 * @param timeout the most to wait
	 * @return whether every thread ended in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean shutdown(Duration timeout) throws InterruptedException {
		for (int i = 0; i < this.threads.size(); i++) {
			this.pending.add(STOP);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Thread thread : this.threads) {
			long remaining = deadline - System.nanoTime();
			if (remaining > 0) {
				TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
			}
		}
		return this.threads.stream().noneMatch(Thread::isAlive);
	}

	/**
	 * Interrupt every thread still running work.
	 */
	public void interruptAll() {
		this.threads.forEach(Thread::interrupt);
	}

	/**
	 * Return the kind of pool.
	 * @return the type
	 */
	public PoolType getType() {
		return this.type;
	}

	/**
	 * Return how many tasks can run at once.
	 * @return the number of threads
	 */
	public int getSize() {
		return this.size;
	}

	/**
	 * Return how many threads are running work now.
	 * @return the busy count
	 */
	public int getBusy() {
		return this.busy.get();
	}

}
