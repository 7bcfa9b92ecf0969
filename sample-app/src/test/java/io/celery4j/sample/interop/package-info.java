/**
 * Interoperability tests of the sample app with real Python Celery 5: Python calls the
 * contract's Java tasks, Java calls tasks of a Python worker. Skipped with the reason
 * when Python Celery is not installed, failed instead when
 * {@code CELERY_INTEROP=required}.
 */
@NullMarked
package io.celery4j.sample.interop;

import org.jspecify.annotations.NullMarked;
