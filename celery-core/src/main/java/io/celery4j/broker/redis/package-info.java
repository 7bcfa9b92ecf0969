/**
 * The Redis transport with kombu's exact key layout (PROTOCOL.md section 2), on Spring
 * Data Redis and Lettuce.
 */
@NullMarked
package io.celery4j.broker.redis;

import org.jspecify.annotations.NullMarked;
