/**
 * The worker: a {@link io.celery4j.worker.WorkerContainer} that consumes queues and runs
 * tasks. Counterpart of {@code celery.worker}.
 * <p>
 * One message path, every feature hooks into one of its steps:
 * <ol>
 * <li>{@code TaskConsumer} fetches deliveries while fewer than the prefetch limit are
 * unacknowledged (kombu's QoS), and decodes them with the
 * {@link io.celery4j.protocol.TaskMessageCodec codec}; what cannot be decoded or is not
 * registered is logged and rejected.</li>
 * <li>{@code RequestDispatcher} turns a {@link io.celery4j.worker.TaskRequest} into work:
 * expired requests become REVOKED, eta requests wait on a timer without taking a pool
 * slot, the rest queue on the {@link io.celery4j.worker.pool.TaskPool pool}.</li>
 * <li>{@code TaskTracer} runs on a pool thread: acknowledges (early by default), binds
 * the arguments and calls the task through its {@link io.celery4j.task.TaskInvoker},
 * stores the result in the {@link io.celery4j.backend.ResultBackend}, then acknowledges
 * when the task is acks-late.</li>
 * </ol>
 */
@NullMarked
package io.celery4j.worker;

import org.jspecify.annotations.NullMarked;
