/**
 * In-process beat store: leadership and last runs for schedulers of one JVM.
 */
@NullMarked
package io.celery4j.beat.memory;

import org.jspecify.annotations.NullMarked;
