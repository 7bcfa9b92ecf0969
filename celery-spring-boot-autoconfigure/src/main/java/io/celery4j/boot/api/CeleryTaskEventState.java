package io.celery4j.boot.api;

import io.celery4j.broker.Broker;
import io.celery4j.events.EventReceiver;
import io.celery4j.events.Fanout;
import io.celery4j.events.TaskEventState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Receives the events of every worker on the broker while the application runs and keeps
 * the tasks they name in a bounded {@link TaskEventState}, as Flower does: the source of
 * {@code /api/task/info/{id}}, {@code /api/tasks} and the dashboard's recent tasks.
 * Workers send task events only when they run with them on
 * ({@code celery.worker.send-task-events=true}, Celery's {@code -E}).
 */
public class CeleryTaskEventState implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(CeleryTaskEventState.class);

	private final Broker broker;

	private final TaskEventState state;

	private volatile @Nullable EventReceiver receiver;

	/**
	 * Create the state.
	 * @param broker the broker whose events are received
	 * @param state where the tasks are kept
	 */
	public CeleryTaskEventState(Broker broker, TaskEventState state) {
		this.broker = broker;
		this.state = state;
	}

	/**
	 * Return the tasks seen so far.
	 * @return the state
	 */
	public TaskEventState getState() {
		return this.state;
	}

	@Override
	public synchronized void start() {
		if (this.receiver != null) {
			return;
		}
		try {
			this.receiver = EventReceiver.start(Fanout.of(this.broker), this.state);
		}
		catch (RuntimeException ex) {
			// The API still answers from the result backend; task info waits for events.
			logger.warn("Task events of {} are not received: {}", this.broker.maskedUrl(), ex.getMessage());
		}
	}

	@Override
	public synchronized void stop() {
		EventReceiver receiver = this.receiver;
		this.receiver = null;
		if (receiver != null) {
			receiver.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.receiver != null;
	}

}
