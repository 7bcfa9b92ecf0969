/**
 * Discovery of {@code @CeleryTask} and {@code @Periodic} bean methods.
 */
@NullMarked
package io.celery4j.boot.annotation;

import org.jspecify.annotations.NullMarked;
