/**
 * The {@code celery} actuator endpoint: workers, queues, tasks and schedules, with revoke
 * and rate-limit operations.
 */
@NullMarked
package io.celery4j.boot.endpoint;

import org.jspecify.annotations.NullMarked;
