package io.celery4j.task;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import io.celery4j.CeleryException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link TaskContext#retry(RetryOptions)} to tell the worker that the task is
 * to run again: the worker stores RETRY, sends the retry message and acknowledges the
 * original. Counterpart of Celery's {@code celery.exceptions.Retry}. Its cause, when set,
 * is the {@code exc} given to the retry.
 */
public class RetryException extends CeleryException {

	private static final DateTimeFormatter PYTHON_DATETIME = DateTimeFormatter
		.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");

	private final @Nullable Duration countdown;

	private final @Nullable Instant eta;

	private final int retries;

	private final List<@Nullable Object> args;

	private final Map<String, @Nullable Object> kwargs;

	RetryException(@Nullable Throwable exc, @Nullable Duration countdown, @Nullable Instant eta, int retries,
			List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
		super(message(exc, countdown, eta), exc);
		this.countdown = countdown;
		this.eta = eta;
		this.retries = retries;
		this.args = args;
		this.kwargs = kwargs;
	}

	private static String message(@Nullable Throwable exc, @Nullable Duration countdown, @Nullable Instant eta) {
		String when = (eta != null) ? "at " + PYTHON_DATETIME.format(eta.atOffset(ZoneOffset.UTC))
				: "in " + seconds((countdown != null) ? countdown : Duration.ZERO) + "s";
		return (exc != null) ? "Retry " + when + ": " + PythonExceptions.repr(exc) : "Retry " + when;
	}

	/**
	 * Format a delay as Python prints its number of seconds: {@code 180}, {@code 0.1}.
	 * @param delay the delay
	 * @return the seconds
	 */
	static String seconds(Duration delay) {
		BigDecimal seconds = BigDecimal.valueOf(delay.toNanos(), 9).stripTrailingZeros();
		return (seconds.scale() <= 0) ? seconds.toBigInteger().toString() : seconds.toPlainString();
	}

	/**
	 * Return the delay of the retry.
	 * @return the countdown, or {@code null} when an eta was given
	 */
	public @Nullable Duration getCountdown() {
		return this.countdown;
	}

	/**
	 * Return the time of the retry.
	 * @return the eta, or {@code null} when a countdown was given
	 */
	public @Nullable Instant getEta() {
		return this.eta;
	}

	/**
	 * Return the earliest time the retry runs.
	 * @param now the current time
	 * @return eta, or now plus countdown
	 */
	public Instant when(Instant now) {
		if (this.eta != null) {
			return this.eta;
		}
		return now.plus((this.countdown != null) ? this.countdown : Duration.ZERO);
	}

	/**
	 * Return the retry count of the retry message.
	 * @return the request's retries plus one
	 */
	public int getRetries() {
		return this.retries;
	}

	/**
	 * Return the positional arguments of the retry message (JSON values).
	 * @return the args
	 */
	public List<@Nullable Object> getArgs() {
		return this.args;
	}

	/**
	 * Return the keyword arguments of the retry message (JSON values).
	 * @return the kwargs
	 */
	public Map<String, @Nullable Object> getKwargs() {
		return this.kwargs;
	}

	/**
	 * Throw an exception as it is, checked or not, as Celery re-raises the cause of a
	 * retry past its limit.
	 * @param <T> the type the compiler sees
	 * @param exc the exception
	 * @return never returns
	 * @throws T always
	 */
	@SuppressWarnings("unchecked")
	static <T extends Throwable> RuntimeException rethrow(Throwable exc) throws T {
		throw (T) exc;
	}

}
