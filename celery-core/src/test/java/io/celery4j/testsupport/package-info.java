/**
 * Support for tests on real services: Redis and Python Celery.
 */
@NullMarked
package io.celery4j.testsupport;

import org.jspecify.annotations.NullMarked;
