/**
 * Celery's task message protocol v2 with the JSON serializer: envelope, headers,
 * properties and the body {@code [args, kwargs, embed]}. Wire details are in
 * {@code shared/celery-wire/PROTOCOL.md}, sections 1 and 2.
 */
@NullMarked
package io.celery4j.protocol;

import org.jspecify.annotations.NullMarked;
