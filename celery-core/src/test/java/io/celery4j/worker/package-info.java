/**
 * Tests of the worker on real transports: {@code memory://} for unit tests, Redis for
 * integration tests.
 */
@NullMarked
package io.celery4j.worker;

import org.jspecify.annotations.NullMarked;
