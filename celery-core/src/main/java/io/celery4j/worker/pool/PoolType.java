package io.celery4j.worker.pool;

/**
 * The kinds of execution pool. Same values as Celery's {@code worker_pool} where they
 * exist.
 */
public enum PoolType {

	/**
	 * A fixed number of platform threads, as Celery's {@code threads} pool.
	 */
	THREADS,

	/**
	 * One virtual thread per running task, at most concurrency at once; the JVM's
	 * counterpart of Celery's {@code gevent} and {@code eventlet} pools. Needs Java 21.
	 */
	VIRTUAL,

	/**
	 * A single thread running one task at a time, as Celery's {@code solo} pool.
	 */
	SOLO

}
