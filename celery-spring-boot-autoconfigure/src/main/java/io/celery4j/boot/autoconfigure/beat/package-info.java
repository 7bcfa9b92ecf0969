/**
 * Auto-configuration of beat: the scheduler, its store (Redis or memory, after the
 * broker), {@code celery.beat.schedule} entries and {@code @Periodic} discovery.
 */
@NullMarked
package io.celery4j.boot.autoconfigure.beat;

import org.jspecify.annotations.NullMarked;
