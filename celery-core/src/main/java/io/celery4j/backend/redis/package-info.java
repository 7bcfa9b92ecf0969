/**
 * Celery's Redis result backend (PROTOCOL.md section 3): records under
 * {@code celery-task-meta-<id>} written with {@code MULTI/SETEX/PUBLISH/EXEC}, and
 * waiting through one shared pub/sub connection per backend, the way Celery's
 * {@code ResultConsumer} waits.
 */
@NullMarked
package io.celery4j.backend.redis;

import org.jspecify.annotations.NullMarked;
