package io.celery4j.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what some loggers write during a test, at a level of the test's choosing; the
 * captured lines do not reach the console.
 */
final class LogCapture implements AutoCloseable {

	private final List<Logger> loggers = new ArrayList<>();

	private final List<Level> previousLevels = new ArrayList<>();

	private final List<Boolean> previousAdditivity = new ArrayList<>();

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {

		@Override
		protected void append(ILoggingEvent event) {
			// Logback reads the MDC lazily: take it now, on the logging thread.
			event.prepareForDeferredProcessing();
			super.append(event);
		}

	};

	private LogCapture(Level level, List<String> names) {
		this.appender.start();
		for (String name : names) {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			this.loggers.add(logger);
			this.previousLevels.add(logger.getLevel());
			this.previousAdditivity.add(logger.isAdditive());
			logger.setLevel(level);
			logger.setAdditive(false);
			logger.addAppender(this.appender);
		}
	}

	static LogCapture of(Level level, Class<?>... sources) {
		return new LogCapture(level, Arrays.stream(sources).map(Class::getName).toList());
	}

	static LogCapture of(Level level, String... loggerNames) {
		return new LogCapture(level, List.of(loggerNames));
	}

	/**
	 * Return the captured events so far.
	 * @return a snapshot
	 */
	List<ILoggingEvent> events() {
		// ListAppender appends under its own lock.
		synchronized (this.appender) {
			return new ArrayList<>(this.appender.list);
		}
	}

	/**
	 * Return the formatted messages of the events at a level.
	 * @param level the level
	 * @return the messages
	 */
	List<String> messages(Level level) {
		return events().stream()
			.filter((event) -> event.getLevel() == level)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	/**
	 * Return the formatted messages of every captured event.
	 * @return the messages
	 */
	List<String> messages() {
		return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	@Override
	public void close() {
		for (int i = 0; i < this.loggers.size(); i++) {
			Logger logger = this.loggers.get(i);
			logger.detachAppender(this.appender);
			logger.setAdditive(this.previousAdditivity.get(i));
			logger.setLevel(this.previousLevels.get(i));
		}
		this.appender.stop();
	}

}
