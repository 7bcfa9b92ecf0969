/**
 * Tests of the execution pools.
 */
@NullMarked
package io.celery4j.worker.pool;

import org.jspecify.annotations.NullMarked;
