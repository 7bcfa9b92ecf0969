/**
 * The sample application of Celery for Spring Boot.
 */
@NullMarked
package io.celery4j.sample;

import org.jspecify.annotations.NullMarked;
