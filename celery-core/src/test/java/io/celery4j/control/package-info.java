/**
 * Tests of remote control: request and reply shapes against Celery's captures, the
 * worker's mailbox and the control client.
 */
@NullMarked
package io.celery4j.control;

import org.jspecify.annotations.NullMarked;
