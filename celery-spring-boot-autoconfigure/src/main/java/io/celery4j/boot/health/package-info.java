/**
 * Health of Celery for actuator: the broker, the result backend and the local worker.
 */
@NullMarked
package io.celery4j.boot.health;

import org.jspecify.annotations.NullMarked;
