/**
 * Discovery of {@code @CeleryTask} bean methods.
 */
@NullMarked
package io.celery4j.boot.annotation;

import org.jspecify.annotations.NullMarked;
