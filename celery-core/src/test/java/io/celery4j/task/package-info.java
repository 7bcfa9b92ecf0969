/**
 * Tests of task binding and retries.
 */
@NullMarked
package io.celery4j.task;

import org.jspecify.annotations.NullMarked;
