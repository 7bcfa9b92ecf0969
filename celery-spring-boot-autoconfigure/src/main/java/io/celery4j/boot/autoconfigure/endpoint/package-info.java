/**
 * Auto-configuration of the {@code celery} actuator endpoint.
 */
@NullMarked
package io.celery4j.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
