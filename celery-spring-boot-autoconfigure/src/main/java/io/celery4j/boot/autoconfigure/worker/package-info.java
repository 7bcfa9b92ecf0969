/**
 * Auto-configuration of the worker container.
 */
@NullMarked
package io.celery4j.boot.autoconfigure.worker;

import org.jspecify.annotations.NullMarked;
