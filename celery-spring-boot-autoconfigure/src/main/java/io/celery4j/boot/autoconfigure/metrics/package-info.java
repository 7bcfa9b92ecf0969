/**
 * Auto-configuration of Celery's Micrometer meters.
 */
@NullMarked
package io.celery4j.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
