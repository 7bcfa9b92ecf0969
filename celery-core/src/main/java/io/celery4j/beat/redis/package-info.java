/**
 * Redis beat store: a leader lock with a TTL and each entry's last run, shared by every
 * application instance on the same Redis database.
 */
@NullMarked
package io.celery4j.beat.redis;

import org.jspecify.annotations.NullMarked;
