/**
 * Remote control (kombu's pidbox): {@link io.celery4j.control.CeleryControl} broadcasts
 * commands such as {@code ping}, {@code stats} or {@code revoke} to Java and Python
 * workers and collects their replies; {@link io.celery4j.control.Pidbox} makes a Java
 * worker answer them, so that {@code celery inspect}, {@code celery control},
 * {@code celery status} and Flower see it. Counterpart of {@code celery.app.control} and
 * {@code celery.worker.control}; wire details in {@code shared/celery-wire/PROTOCOL.md}
 * section 7.
 */
@NullMarked
package io.celery4j.control;

import org.jspecify.annotations.NullMarked;
