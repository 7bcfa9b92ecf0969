/**
 * Task definitions: registry, options, the invoker that binds Celery args and kwargs to a
 * Java method, and the request context a bound task sees.
 */
@NullMarked
package io.celery4j.task;

import org.jspecify.annotations.NullMarked;
