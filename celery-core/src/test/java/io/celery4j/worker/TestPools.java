package io.celery4j.worker;

import java.util.Locale;

import io.celery4j.worker.pool.PoolType;
import io.celery4j.worker.pool.TaskPools;

/**
 * The pool the general worker tests run on: {@code CELERY_TEST_POOL} ({@code threads},
 * {@code virtual} or {@code solo}), {@code threads} when unset, so that CI can run the
 * suite again on virtual threads with a newer JVM.
 */
final class TestPools {

	private TestPools() {
	}

	static PoolType configured() {
		String value = System.getenv("CELERY_TEST_POOL");
		if (value == null || value.isBlank()) {
			return PoolType.THREADS;
		}
		PoolType pool;
		try {
			pool = PoolType.valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"CELERY_TEST_POOL='" + value + "' is not a pool; use threads, virtual or solo.", ex);
		}
		if (pool == PoolType.VIRTUAL && !TaskPools.virtualThreadsAvailable()) {
			throw new IllegalStateException(
					"CELERY_TEST_POOL=virtual needs Java 21 or later (running " + Runtime.version().feature() + ").");
		}
		return pool;
	}

}
