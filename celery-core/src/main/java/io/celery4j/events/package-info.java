/**
 * Celery events: the worker's {@code worker-*} and {@code task-*} events and the client's
 * {@code task-sent}, published on the {@code celeryev} fanout exchange (Redis pub/sub on
 * {@code /<db>.celeryev/<routing key>}), and a receiver that decodes events of Java and
 * Python workers. Counterpart of {@code celery.events}; wire details in
 * {@code shared/celery-wire/PROTOCOL.md} section 6.
 */
@NullMarked
package io.celery4j.events;

import org.jspecify.annotations.NullMarked;
