/**
 * Auto-configuration of Celery's health indicator.
 */
@NullMarked
package io.celery4j.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
