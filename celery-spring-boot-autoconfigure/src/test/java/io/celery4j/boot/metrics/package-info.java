/**
 * Tests for Celery's meters.
 */
@NullMarked
package io.celery4j.boot.metrics;

import org.jspecify.annotations.NullMarked;
