/**
 * The broker SPI ({@link io.celery4j.broker.Broker}), its URL and the
 * {@link io.celery4j.broker.Brokers} factory, with what the transports share (kombu's
 * priority steps, queue rotation, envelope marks); transports live in sub-packages.
 */
@NullMarked
package io.celery4j.broker;

import org.jspecify.annotations.NullMarked;
