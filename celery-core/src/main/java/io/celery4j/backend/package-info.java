/**
 * The result backend SPI ({@link io.celery4j.backend.ResultBackend}), result records
 * ({@link io.celery4j.backend.TaskMeta}) and their JSON form
 * ({@link io.celery4j.backend.TaskMetaCodec}), task states, the disabled backend and the
 * {@link io.celery4j.backend.ResultBackends} factory; the Redis and in-memory backends
 * live in sub-packages.
 */
@NullMarked
package io.celery4j.backend;

import org.jspecify.annotations.NullMarked;
