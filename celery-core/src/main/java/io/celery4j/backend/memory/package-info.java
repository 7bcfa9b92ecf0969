/**
 * The in-process result backend behind {@code memory://}: Celery's result semantics (a
 * stored SUCCESS is final, waiting without polling, expiry) without a server, for tests
 * and the embedded default.
 */
@NullMarked
package io.celery4j.backend.memory;

import org.jspecify.annotations.NullMarked;
