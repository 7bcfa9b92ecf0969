package io.celery4j.worker.pool;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates {@link TaskPool task pools} by {@link PoolType}.
 */
public final class TaskPools {

	private TaskPools() {
	}

	/**
	 * Create a started pool.
	 * @param type the kind of pool
	 * @param concurrency how many tasks may run at once (ignored by {@code SOLO})
	 * @param namePrefix prefix of thread names
	 * @return the pool
	 * @throws IllegalStateException for {@code VIRTUAL} on a JVM without virtual threads
	 */
	public static TaskPool create(PoolType type, int concurrency, String namePrefix) {
		return switch (type) {
			case THREADS -> new TaskPool(type, concurrency, platformThreads(namePrefix));
			case SOLO -> new TaskPool(type, 1, platformThreads(namePrefix));
			case VIRTUAL -> new TaskPool(type, concurrency, virtualThreads(namePrefix));
		};
	}

	/**
	 * Return whether this JVM has virtual threads (Java 21 or later).
	 * @return whether the {@code VIRTUAL} pool can be used
	 */
	public static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= 21;
	}

	private static ThreadFactory platformThreads(String namePrefix) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, namePrefix + counter.incrementAndGet());
			thread.setDaemon(false);
			return thread;
		};
	}

	private static ThreadFactory virtualThreads(String namePrefix) {
		if (!virtualThreadsAvailable()) {
			throw new IllegalStateException("Virtual threads need Java 21 or later (running "
					+ Runtime.version().feature() + "). Use pool 'threads' or a newer JVM.");
		}
		try {
			// Compiled for Java 17: reach Thread.ofVirtual().name(prefix, 1).factory() by
			// reflection through the public Thread.Builder interfaces.
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Method name = builderType.getMethod("name", String.class, long.class);
			builder = name.invoke(builder, namePrefix, 1L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Virtual threads could not be created on Java "
					+ Runtime.version().feature() + ". Use pool 'threads'.", ex);
		}
	}

}
