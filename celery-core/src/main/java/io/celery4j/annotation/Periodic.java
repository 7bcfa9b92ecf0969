package io.celery4j.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link CeleryTask @CeleryTask} method periodically, like an entry of Celery's
 * {@code beat_schedule}: beat sends the task through the broker when it is due, so any
 * worker consuming its queue may run it. Set exactly one of {@link #cron()} and
 * {@link #fixedRate()}. Every attribute supports property placeholders.
 *
 * <pre class="code">
 * &#64;CeleryTask(name = "tasks.tick")
 * &#64;Periodic(fixedRate = "${sample.tick-rate:10s}")
 * public long tick() {
 *     return System.currentTimeMillis();
 * }
 *
 * &#64;CeleryTask(name = "reports.nightly")
 * &#64;Periodic(cron = "30 2 * * mon-fri", zone = "Europe/Berlin")
 * public void nightly() {
 * }
 * </pre>
 *
 * With several application instances on one Redis, one of them (the beat leader) sends
 * each due task once.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Periodic {

	/**
	 * Cron expression: 5 fields {@code minute hour day-of-month month day-of-week} with
	 * Celery's crontab semantics (day of week 0 is Sunday, names such as {@code mon-fri},
	 * ranges, steps, lists; a day must match both day fields), 6 fields with seconds
	 * first as Spring's {@code CronExpression}, or a macro ({@code @hourly},
	 * {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly}).
	 * @return the cron expression, empty when {@link #fixedRate()} is set
	 */
	String cron() default "";

	/**
	 * Period between runs: {@code 10s}, {@code 500ms}, {@code 1h}, ISO-8601
	 * ({@code PT10S}), or a number of seconds. Like Celery's {@code schedule} given as a
	 * number of seconds, but without drift: runs are one period apart.
	 * @return the period, empty when {@link #cron()} is set
	 */
	String fixedRate() default "";

	/**
	 * Delay before the first run of a {@link #fixedRate()} entry, counted from the first
	 * time beat sees the entry. Empty means one period, as Celery's interval schedules;
	 * {@code 0s} runs at once.
	 * @return the initial delay
	 */
	String initialDelay() default "";

	/**
	 * Time zone of the {@link #cron()} expression, for example {@code Europe/Berlin}.
	 * Empty means {@code celery.timezone}.
	 * @return the zone id
	 */
	String zone() default "";

	/**
	 * Name of the schedule entry, the key of Celery's {@code beat_schedule}; defaults to
	 * the task name. Beat remembers each entry's last run under this name.
	 * @return the entry name
	 */
	String name() default "";

	/**
	 * Queue the task is sent to. Empty means the task's route.
	 * @return the queue
	 */
	String queue() default "";

	/**
	 * How long after being sent the task expires when no worker started it, as Celery's
	 * {@code expires} option: {@code 30s}, {@code PT30S} or a number of seconds. Empty
	 * means never.
	 * @return the expiry
	 */
	String expires() default "";

}
