/**
 * Tests of events: wire shapes against Celery's captures, dispatch and receipt.
 */
@NullMarked
package io.celery4j.events;

import org.jspecify.annotations.NullMarked;
