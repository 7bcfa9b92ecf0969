/**
 * Auto-configuration for Celery: properties, broker, result backend, task registry and
 * client.
 */
@NullMarked
package io.celery4j.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
