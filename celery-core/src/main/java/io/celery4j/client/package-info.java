/**
 * The client side: sending tasks by name and reading their results
 * ({@link io.celery4j.client.CeleryClient}, {@link io.celery4j.client.AsyncResult}).
 */
@NullMarked
package io.celery4j.client;

import org.jspecify.annotations.NullMarked;
