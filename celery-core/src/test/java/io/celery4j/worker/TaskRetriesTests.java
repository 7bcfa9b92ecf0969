package io.celery4j.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.backend.CeleryWireVectors;
import io.celery4j.protocol.CeleryDates;
import io.celery4j.protocol.MessageProperties;
import io.celery4j.protocol.TaskHeaders;
import io.celery4j.protocol.TaskMessage;
import io.celery4j.protocol.TaskMessageBuilder;
import io.celery4j.protocol.TaskMessageCodec;
import io.celery4j.task.RetryException;
import io.celery4j.task.RetryOptions;
import io.celery4j.task.TaskContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The retry message against the one Python Celery's worker sent for
 * {@code retry_until.delay(2)} ({@code vectors/task-retry-republish.json}).
 */
class TaskRetriesTests {

	private final TaskMessageCodec codec = new TaskMessageCodec();

	private final TaskMessage celeryRetry = this.codec.decode(CeleryWireVectors.read("task-retry-republish.json"));

	@Test
	void retryMessageHasTheHeadersCelerySends() {
		TaskMessage original = firstRun(this.celeryRetry);
		Instant now = Instant.now();
		RetryException retry = retry(original, Duration.ofMillis(100));
		TaskMessage sent = this.codec.decode(this.codec.encode(TaskRetries.retryMessage(original, retry, now)));
		TaskHeaders expected = this.celeryRetry.headers();
		TaskHeaders actual = sent.headers();
		assertThat(actual.id()).isEqualTo(expected.id());
		assertThat(actual.task()).isEqualTo(expected.task());
		assertThat(actual.retries()).isEqualTo(expected.retries()).isEqualTo(1);
		assertThat(actual.rootId()).isEqualTo(expected.rootId());
		assertThat(actual.parentId()).isEqualTo(expected.parentId()).isEqualTo(expected.id());
		assertThat(actual.group()).isEqualTo(expected.group());
		assertThat(actual.groupIndex()).isEqualTo(expected.groupIndex());
		assertThat(actual.expires()).isEqualTo(expected.expires());
		assertThat(actual.timeLimit()).isEqualTo(expected.timeLimit());
		assertThat(actual.argsRepr()).isEqualTo(expected.argsRepr());
		assertThat(actual.kwargsRepr()).isEqualTo(expected.kwargsRepr());
		assertThat(actual.ignoreResult()).isEqualTo(expected.ignoreResult());
		assertThat(actual.origin()).isEqualTo(TaskMessageBuilder.processOrigin());
		assertThat(CeleryDates.parse(actual.eta(), ZoneOffset.UTC))
			.isEqualTo(now.plusMillis(100).truncatedTo(ChronoUnit.MICROS));
		assertThat(sent.args()).isEqualTo(this.celeryRetry.args());
		assertThat(sent.kwargs()).isEqualTo(this.celeryRetry.kwargs());
		assertThat(sent.embed()).isEqualTo(this.celeryRetry.embed());
	}

	@Test
	void retryMessageHasThePropertiesCelerySends() {
		TaskMessage original = firstRun(this.celeryRetry);
		TaskMessage sent = this.codec.decode(this.codec
			.encode(TaskRetries.retryMessage(original, retry(original, Duration.ofMillis(100)), Instant.now())));
		MessageProperties expected = this.celeryRetry.properties();
		MessageProperties actual = sent.properties();
		assertThat(actual.correlationId()).isEqualTo(expected.correlationId());
		assertThat(actual.replyTo()).isEqualTo(expected.replyTo());
		assertThat(actual.routingKey()).isEqualTo(expected.routingKey());
		assertThat(actual.exchange()).isEqualTo(expected.exchange());
		assertThat(actual.priority()).isEqualTo(expected.priority());
		assertThat(actual.deliveryMode()).isEqualTo(expected.deliveryMode());
		assertThat(actual.extra()).containsEntry("replaced_task_nesting", 0)
			.containsEntry("origin", expected.extra().get("origin"));
		assertThat(actual.deliveryTag()).isNotEqualTo(original.properties().deliveryTag());
	}

	@Test
	void retryMessageKeepsQueueAndPriorityItCameWith() {
		TaskMessage original = TaskMessage.builder("tasks.x").queue("reports").priority(7).args(List.of(1)).build();
		TaskMessage sent = TaskRetries.retryMessage(original, retry(original, Duration.ZERO), Instant.now());
		assertThat(sent.properties().routingKey()).isEqualTo("reports");
		assertThat(sent.properties().priority()).isEqualTo(7);
	}

	@Test
	void retryMessageCarriesOverriddenArguments() {
		TaskMessage original = TaskMessage.builder("tasks.x").args(List.of(1)).build();
		RetryException retry = catchThrowableOfType(RetryException.class,
				() -> new TaskContext(original, "w@h").retry(RetryOptions.defaults().args(List.of(2, 3))));
		TaskMessage sent = TaskRetries.retryMessage(original, retry, Instant.now());
		assertThat(sent.args()).containsExactly(2, 3);
		assertThat(sent.headers().argsRepr()).isEqualTo("(2, 3)");
	}

	private static RetryException retry(TaskMessage original, Duration countdown) {
		return catchThrowableOfType(RetryException.class,
				() -> new TaskContext(original, "w@h").retry(RetryOptions.defaults().countdown(countdown)));
	}

	/**
	 * The message Celery's client sent first: the retry minus what the retry changed.
	 */
	private static TaskMessage firstRun(TaskMessage retry) {
		TaskHeaders h = retry.headers();
		TaskHeaders headers = new TaskHeaders(h.lang(), h.task(), h.id(), h.shadow(), null, h.expires(), h.group(),
				h.groupIndex(), 0, h.timeLimit(), h.rootId(), null, h.argsRepr(), h.kwargsRepr(),
				(String) retry.properties().extra().get("origin"), h.ignoreResult(), h.extra());
		MessageProperties p = retry.properties();
		Map<String, Object> extra = new LinkedHashMap<>();
		MessageProperties properties = new MessageProperties(p.correlationId(), p.replyTo(), p.deliveryMode(),
				p.exchange(), p.routingKey(), p.priority(), "first-delivery-tag", extra);
		return new TaskMessage(headers, properties, Arrays.asList(retry.args().toArray()), retry.kwargs(),
				retry.embed());
	}

}
