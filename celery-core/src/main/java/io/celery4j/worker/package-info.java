/**
 * The worker: a {@link io.celery4j.worker.WorkerContainer} that consumes queues and runs
 * tasks. Counterpart of {@code celery.worker}.
 * <p>
 * One message path, every feature hooks into one of its steps:
 * <ol>
 * <li>{@code TaskConsumer} fetches deliveries while fewer than the prefetch limit are
 * unacknowledged, and decodes them with the {@link io.celery4j.protocol.TaskMessageCodec
 * codec} into a {@link io.celery4j.worker.TaskRequest}; what cannot be decoded, is not
 * registered or has an unreadable eta or expires is logged once (WARN) and rejected.</li>
 * <li>{@code RequestDispatcher} turns a request into work: expired requests become
 * REVOKED, eta requests wait on a timer without counting against the prefetch limit, the
 * rest queue on the {@link io.celery4j.worker.pool.TaskPool pool}.</li>
 * <li>{@code TaskTracer} runs on a pool thread: acknowledges (early by default), binds
 * the arguments and calls the task through its {@link io.celery4j.task.TaskInvoker},
 * stores the result in the {@link io.celery4j.backend.ResultBackend}, then acknowledges
 * when the task is acks-late.</li>
 * </ol>
 * {@code Qos} is the one place that settles a message (acknowledge, reject, or give back
 * to the queue), exactly once, and counts what is held against the prefetch limit
 * (kombu's QoS). A stop gives back what was received but not started.
 * <p>
 * {@link io.celery4j.worker.WorkerObserver Observers} registered on the container are
 * told of each step (received, rejected, started, succeeded, failed, retried, revoked);
 * metrics and task events hook in there, never through a second path.
 */
@NullMarked
package io.celery4j.worker;

import org.jspecify.annotations.NullMarked;
