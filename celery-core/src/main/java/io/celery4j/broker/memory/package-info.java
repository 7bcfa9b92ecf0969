/**
 * The in-process {@code memory://} transport: kombu's Redis semantics (priority steps,
 * unacknowledged tracking, restore) without Redis, for tests and bare machines.
 */
@NullMarked
package io.celery4j.broker.memory;

import org.jspecify.annotations.NullMarked;
