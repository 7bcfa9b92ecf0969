package io.celery4j.sample;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.client.AsyncResult;
import io.celery4j.client.CeleryClient;
import io.celery4j.client.SendOptions;
import io.celery4j.client.TaskFailedException;
import io.celery4j.task.TaskDefinition;
import io.celery4j.task.TaskRegistry;
import io.celery4j.worker.WorkerContainer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Starts the sample application with no environment (in-process {@code memory://} broker
 * and backend) and runs every contract task through the client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SampleApplicationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Autowired
	private CeleryClient client;

	@Autowired
	private TaskRegistry registry;

	@Autowired
	private WorkerContainer worker;

	@Test
	void runsAWorkerOnMemoryWithTheContractTasks() {
		assertThat(this.worker.isRunning()).isTrue();
		assertThat(this.worker.getOptions().queues()).containsExactly("celery");
		assertThat(this.client.getBroker().maskedUrl()).isEqualTo("memory://");
		assertThat(this.registry.all()).extracting(TaskDefinition::name)
			.contains("tasks.add", "tasks.mul", "tasks.xsum", "tasks.echo", "tasks.greet", "tasks.fail", "tasks.sleep");
	}

	@Test
	void addsAndMultipliesLikePython() {
		assertThat(integer(get("tasks.add", 2, 3))).isEqualTo("5");
		assertThat(integer(get("tasks.mul", 6, 7))).isEqualTo("42");
		assertThat(get("tasks.add", 1.5, 2)).isEqualTo(3.5);
		assertThat(integer(get("tasks.mul", 9007199254740993L, 1000))).isEqualTo("9007199254740993000");
	}

	@Test
	void sumsIntegersExactly() {
		assertThat(integer(get("tasks.xsum", List.of(1, 2, 3)))).isEqualTo("6");
		assertThat(integer(get("tasks.xsum", List.of()))).isEqualTo("0");
		assertThat(integer(get("tasks.xsum", List.of(Long.MAX_VALUE, 1)))).isEqualTo("9223372036854775808");
	}

	@Test
	void sumsFloatsFromLeftToRightLikePython() {
		// Python 3.11: sum([0.1] * 10) == 0.9999999999999999, sum([1, 0.1, 0.2, 3]) ==
		// 4.3
		assertThat(get("tasks.xsum", Collections.nCopies(10, 0.1))).isEqualTo(0.9999999999999999);
		assertThat(get("tasks.xsum", List.of(1, 0.1, 0.2, 3))).isEqualTo(4.3);
		assertThat(get("tasks.xsum", List.of(1.5, 2.5))).isEqualTo(4.0);
	}

	@Test
	void echoesJsonValuesUnchanged() {
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("list", List.of(1, "two", 3.5, false));
		nested.put("none", null);
		nested.put("object", Map.of("k", List.of()));
		List<Object> values = new ArrayList<>();
		values.add(true);
		values.add(9007199254740992L);
		values.add(-9007199254740992L);
		values.add(0.1);
		values.add(1.0);
		values.add(1.0e300);
		values.add("héllo, wörld ✓ 日本 🎉");
		values.add(nested);
		for (Object value : values) {
			assertThat(get("tasks.echo", value)).as("echo of %s", value).isEqualTo(value);
		}
		List<Object> none = new ArrayList<>();
		none.add(null);
		assertThat(this.client.send("tasks.echo", none, Map.of(), SendOptions.defaults()).get(TIMEOUT)).isNull();
	}

	@Test
	void echoesFloatsAsFloatsAndLargeIntegersAsIntegers() {
		assertThat(get("tasks.echo", 1.0)).isInstanceOf(Double.class);
		assertThat(get("tasks.echo", 9007199254740992L)).isInstanceOf(Long.class);
	}

	@Test
	void greetsWithPositionalKeywordAndDefaultArguments() {
		assertThat(get("tasks.greet", "Ada", "Hi")).isEqualTo("Hi, Ada!");
		assertThat(get("tasks.greet", "Ada")).isEqualTo("Hello, Ada!");
		assertThat(this.client
			.send("tasks.greet", List.of(), Map.of("name", "Grace", "greeting", "Bonjour"), SendOptions.defaults())
			.get(TIMEOUT)).isEqualTo("Bonjour, Grace!");
		assertThat(this.client.send("tasks.greet", List.of(), Map.of("name", "Grace"), SendOptions.defaults())
			.get(TIMEOUT)).isEqualTo("Hello, Grace!");
	}

	@Test
	void failStoresFailureCarryingTheMessage() {
		AsyncResult result = this.client.send("tasks.fail", "deliberate failure");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionMessage()).isEqualTo("deliberate failure"));
		assertThat(result.state()).isEqualTo("FAILURE");
	}

	@Test
	void sleepReturnsTheSeconds() {
		assertThat(get("tasks.sleep", 0.05)).isEqualTo(0.05);
	}

	@Test
	void wrongArgumentCountFailsNamingTheTask() {
		AsyncResult result = this.client.send("tasks.add", 1);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionMessage()).contains("tasks.add"));
	}

	private Object get(String task, Object... args) {
		return this.client.send(task, args).get(TIMEOUT);
	}

	/**
	 * Return an integer result as text, failing if it is not a JSON integer.
	 */
	private static String integer(Object value) {
		assertThat(value).isInstanceOfAny(Integer.class, Long.class, BigInteger.class);
		return value.toString();
	}

}
