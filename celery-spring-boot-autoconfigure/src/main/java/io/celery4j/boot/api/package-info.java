/**
 * Flower-compatible HTTP API (same paths, methods and JSON field names as Flower's
 * {@code /api}) and the dashboard that reads it. Spring MVC only; switched on with
 * {@code celery.api.enabled=true}.
 */
@NullMarked
package io.celery4j.boot.api;

import org.jspecify.annotations.NullMarked;
