/**
 * Auto-configuration of the Flower-compatible HTTP API and the dashboard.
 */
@NullMarked
package io.celery4j.boot.autoconfigure.api;

import org.jspecify.annotations.NullMarked;
