/**
 * Tests of the module as a whole: architecture rules.
 */
@NullMarked
package io.celery4j.boot;

import org.jspecify.annotations.NullMarked;
