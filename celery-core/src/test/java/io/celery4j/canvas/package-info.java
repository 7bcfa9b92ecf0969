/**
 * Tests of signatures and canvas against what Celery writes.
 */
@NullMarked
package io.celery4j.canvas;

import org.jspecify.annotations.NullMarked;
