/**
 * The result backend SPI ({@link io.celery4j.backend.ResultBackend}), result records and
 * task states; implementations live in sub-packages.
 */
@NullMarked
package io.celery4j.backend;

import org.jspecify.annotations.NullMarked;
