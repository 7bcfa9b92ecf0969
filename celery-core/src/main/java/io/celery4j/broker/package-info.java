/**
 * The broker SPI ({@link io.celery4j.broker.Broker}) and its URL; transports live in
 * sub-packages.
 */
@NullMarked
package io.celery4j.broker;

import org.jspecify.annotations.NullMarked;
