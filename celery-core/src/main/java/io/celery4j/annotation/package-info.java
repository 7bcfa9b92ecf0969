/**
 * Plain Java annotations that declare Celery tasks and their periodic schedules on bean
 * methods.
 */
@NullMarked
package io.celery4j.annotation;

import org.jspecify.annotations.NullMarked;
