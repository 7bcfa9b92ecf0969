/**
 * Execution pools of a worker: platform threads, virtual threads (the JVM's answer to
 * Celery's gevent and eventlet pools) and solo. Counterpart of
 * {@code celery.concurrency}.
 */
@NullMarked
package io.celery4j.worker.pool;

import org.jspecify.annotations.NullMarked;
