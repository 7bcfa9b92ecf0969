/**
 * The Redis transport with kombu's exact key layout (PROTOCOL.md section 2), on Spring
 * Data Redis and Lettuce: {@link io.celery4j.broker.redis.RedisBroker} and the connection
 * factories it shares with the Redis result backend.
 */
@NullMarked
package io.celery4j.broker.redis;

import org.jspecify.annotations.NullMarked;
