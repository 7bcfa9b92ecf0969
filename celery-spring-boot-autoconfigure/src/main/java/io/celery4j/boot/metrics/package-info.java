/**
 * Micrometer meters of Celery: task executions and outcomes, queue lengths and the local
 * worker's gauges. The meters are listed in docs/metrics.md.
 */
@NullMarked
package io.celery4j.boot.metrics;

import org.jspecify.annotations.NullMarked;
