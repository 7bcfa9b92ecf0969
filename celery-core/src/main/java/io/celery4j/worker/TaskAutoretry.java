package io.celery4j.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.celery4j.task.RetryException;
import io.celery4j.task.RetryOptions;
import io.celery4j.task.RetryPolicy;
import io.celery4j.task.TaskContext;

/**
 * Turns an exception listed in a task's {@code autoretry-for} into a retry, as Celery's
 * {@code celery.app.autoretry} wraps a task's {@code run}: the exception becomes the
 * cause of the retry, its countdown the exponential backoff when enabled.
 */
final class TaskAutoretry {

	private TaskAutoretry() {
	}

	/**
	 * Return what the run ends with: a {@link RetryException} when the exception retries
	 * the task, the exception itself (or what the retry threw past its limit) otherwise.
	 * @param request the request
	 * @param context the context the task ran with
	 * @param exception what the task threw
	 * @return the exception to handle
	 */
	static Throwable apply(TaskRequest request, TaskContext context, Throwable exception) {
		RetryPolicy policy = request.getTask().options().retry();
		if (exception instanceof RetryException || !policy.retriesAutomatically(exception)) {
			return exception;
		}
		RetryOptions options = RetryOptions.defaults().exc(exception);
		if (policy.retryBackoff().toSeconds() > 0) {
			options = options.countdown(backoff(policy, context.getRetries()));
		}
		try {
			throw context.retry(options);
		}
		catch (Throwable ex) {
			return ex;
		}
	}

	/**
	 * Celery's {@code get_exponential_backoff_interval}: {@code min(maximum, factor *
	 * 2^retries)} whole seconds, drawn at random from zero to that value with jitter.
	 * @param policy the retry policy
	 * @param retries the retry count of the run that failed
	 * @return the countdown
	 */
	static Duration backoff(RetryPolicy policy, int retries) {
		long factor = policy.retryBackoff().toSeconds();
		long maximum = policy.retryBackoffMax().toSeconds();
		long countdown = (retries >= 62 || factor > (maximum >> Math.min(retries, 62))) ? maximum
				: Math.min(maximum, factor << retries);
		if (policy.retryJitter()) {
			countdown = ThreadLocalRandom.current().nextLong(countdown + 1);
		}
		return Duration.ofSeconds(Math.max(0, countdown));
	}

}
