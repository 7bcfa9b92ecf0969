package io.celery4j.control;

import java.util.LinkedHashMap;
import java.util.Map;

import io.celery4j.events.Fanout;
import io.celery4j.events.FanoutMessage;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerExtension;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's remote control mailbox: subscribes to the {@code celery.pidbox} fanout as
 * {@code <node>.celery.pidbox}, handles the requests addressed to the worker and pushes
 * the replies to the sender's reply queue, so that {@code celery inspect},
 * {@code celery control}, {@code celery status}, Flower and {@link CeleryControl} see a
 * Java worker as they see a Python one. Counterpart of Celery's
 * {@code celery.worker.pidbox.Pidbox} and kombu's {@code Node}; wire details in
 * PROTOCOL.md section 7.
 *
 * <pre class="code">
 * WorkerContainer worker = new WorkerContainer(broker, backend, registry, options);
 * worker.addExtension(new Pidbox(false));
 * worker.start();
 * </pre>
 */
public final class Pidbox implements WorkerExtension {

	private static final Logger logger = LoggerFactory.getLogger(Pidbox.class);

	private final boolean remoteShutdown;

	private volatile @Nullable Running running;

	/**
	 * Create a mailbox.
	 * @param remoteShutdown whether the {@code shutdown} command stops the worker;
	 * otherwise it is answered with an error
	 */
	public Pidbox(boolean remoteShutdown) {
		this.remoteShutdown = remoteShutdown;
	}

	@Override
	public synchronized void start(WorkerContainer worker) {
		if (this.running != null) {
			return;
		}
		String node = worker.getOptions().nodeName();
		ReplyQueues replies = ReplyQueues.of(worker.getBroker());
		ControlCommands commands = new ControlCommands(worker, this.remoteShutdown);
		Fanout fanout = Fanout.of(worker.getBroker());
		Fanout.Subscription subscription = fanout.subscribe(ControlRequest.EXCHANGE, "",
				node + "." + ControlRequest.EXCHANGE, (envelope) -> handle(worker, commands, replies, envelope));
		this.running = new Running(subscription);
		logger.debug("Worker {} listens for remote control", node);
	}

	@Override
	public synchronized void stop(WorkerContainer worker) {
		Running running = this.running;
		this.running = null;
		if (running != null) {
			running.subscription().close();
		}
	}

	private void handle(WorkerContainer worker, ControlCommands commands, ReplyQueues replies, String envelope) {
		String node = worker.getOptions().nodeName();
		ControlRequest request;
		try {
			request = ControlRequest.decode(envelope);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Remote control message skipped by {}: {}", node, ex.getMessage());
			return;
		}
		worker.getClock().adjust(request.clock());
		if (!request.isFor(node)) {
			return;
		}
		logger.debug("Remote control {} received by {}", request.method(), node);
		Object reply = commands.handle(request.method(), request.arguments());
		if (reply == ControlCommands.NO_REPLY || !request.wantsReply()) {
			return;
		}
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("ticket", request.ticket());
		headers.put("clock", worker.getClock().forward());
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put(node, reply);
		String routingKey = request.replyTo();
		FanoutMessage message = new FanoutMessage(headers, 1, ControlRequest.REPLY_EXCHANGE, routingKey, body);
		try {
			replies.push(routingKey, message.encode());
		}
		catch (RuntimeException ex) {
			logger.warn("Reply of {} to remote control {} was lost: {}", node, request.method(), ex.getMessage());
		}
	}

	private record Running(Fanout.Subscription subscription) {

	}

}
