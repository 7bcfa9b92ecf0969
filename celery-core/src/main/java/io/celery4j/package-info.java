/**
 * Celery for Java: the engine that speaks Celery's protocol v2 over Redis and in memory.
 */
@NullMarked
package io.celery4j;

import org.jspecify.annotations.NullMarked;
