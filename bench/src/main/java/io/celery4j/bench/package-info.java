/**
 * Throughput and latency harness, driven by {@code bench/run.sh}.
 */
@NullMarked
package io.celery4j.bench;

import org.jspecify.annotations.NullMarked;
