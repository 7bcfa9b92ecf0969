/**
 * Plain Java annotations that declare Celery tasks on bean methods.
 */
@NullMarked
package io.celery4j.annotation;

import org.jspecify.annotations.NullMarked;
