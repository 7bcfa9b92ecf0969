/**
 * Celery's canvas from Java: {@link io.celery4j.canvas.Signature} (a task call that
 * travels inside messages in Celery's JSON form), chains, groups, chords and the
 * {@code celery.map}, {@code celery.starmap} and {@code celery.chunks} built-in tasks.
 * Wire details are in {@code shared/celery-wire/PROTOCOL.md}, sections 1.3, 1.5 and 4.
 */
@NullMarked
package io.celery4j.canvas;

import org.jspecify.annotations.NullMarked;
