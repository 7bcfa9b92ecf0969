package io.celery4j.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.celery4j.protocol.Json;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's monitoring contract over real HTTP: the Flower-compatible API, actuator
 * health, the {@code celery} endpoint and the Prometheus scrape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleMonitoringTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void appliesATaskAndReadsItsResultThroughTheApi() throws Exception {
		Map<String, Object> sent = json(post("/api/task/async-apply/tasks.add", "{\"args\": [2, 3]}"), 200);
		assertThat(sent.get("state")).isEqualTo("PENDING");
		String id = (String) sent.get("task-id");
		Map<String, Object> result = json(get("/api/task/result/" + id + "?timeout=20"), 200);
		assertThat(result).containsEntry("task-id", id).containsEntry("state", "SUCCESS").containsEntry("result", 5);
	}

	@Test
	void showsTaskInfoAndTheTaskListFromTaskEvents() throws Exception {
		String id = (String) json(post("/api/task/async-apply/tasks.add", "{\"args\": [4, 5]}"), 200).get("task-id");
		json(get("/api/task/result/" + id + "?timeout=20"), 200);
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> "SUCCESS".equals(json(get("/api/task/info/" + id), 200).get("state")));
		Map<String, Object> info = json(get("/api/task/info/" + id), 200);
		assertThat(info).containsEntry("uuid", id)
			.containsEntry("name", "tasks.add")
			.containsEntry("args", "(4, 5)")
			.containsEntry("result", "9")
			.containsKeys("received", "started", "succeeded", "runtime", "worker");
		Map<String, Object> listed = json(get("/api/tasks?taskname=tasks.add&state=SUCCESS&sort_by=-received"), 200);
		assertThat(listed).containsKey(id);
		Map<String, Object> unknown = json(get("/api/task/info/no-such-task"), 404);
		assertThat((String) unknown.get("error")).contains("Unknown task 'no-such-task'");
		assertThat(json(get("/api/tasks?limit=many"), 400).get("error").toString()).contains("'limit'");
	}

	@Test
	void answersFailureWithTracebackThroughTheApi() throws Exception {
		String id = (String) json(post("/api/task/async-apply/tasks.fail", "{\"kwargs\": {\"message\": \"planned\"}}"),
				200)
			.get("task-id");
		Map<String, Object> result = json(get("/api/task/result/" + id + "?timeout=20"), 200);
		assertThat(result.get("state")).isEqualTo("FAILURE");
		assertThat(result.get("result").toString()).contains("planned");
		assertThat(result.get("traceback")).isNotNull();
	}

	@Test
	void answersPendingWithNullResultWhenNotReady() throws Exception {
		Map<String, Object> result = json(get("/api/task/result/never-sent?timeout=0.2"), 200);
		assertThat(result).containsEntry("state", "PENDING").containsEntry("result", null);
	}

	@Test
	void sendsAnyTaskNameButAsyncApplyAnswers404ForUnknownTasks() throws Exception {
		HttpResponse<String> unknown = post("/api/task/async-apply/tasks.python_only", "{}");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("tasks.python_only");
		Map<String, Object> sent = json(post("/api/task/send-task/tasks.python_only", "{\"queue\": \"python-only\"}"),
				200);
		assertThat(sent.get("state")).isEqualTo("PENDING");
	}

	@Test
	void answers400NamingTheProblemForAMalformedBody() throws Exception {
		HttpResponse<String> malformed = post("/api/task/async-apply/tasks.add", "{\"args\": [2,");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(malformed.body()).contains("Malformed JSON body");
		HttpResponse<String> badEta = post("/api/task/async-apply/tasks.add", "{\"eta\": \"soon\"}");
		assertThat(badEta.statusCode()).isEqualTo(400);
		assertThat(badEta.body()).contains("Field 'eta'");
	}

	@Test
	void revokesThroughTheApi() throws Exception {
		Map<String, Object> answer = json(post("/api/task/revoke/4f2c9a?terminate=true", ""), 200);
		assertThat(answer).containsEntry("message", "Revoked '4f2c9a'");
	}

	@Test
	@SuppressWarnings("unchecked")
	void listsTheLocalWorkerAndQueueLengths() throws Exception {
		Map<String, Object> workers = json(get("/api/workers"), 200);
		assertThat(workers).hasSize(1);
		Map<String, Object> worker = (Map<String, Object>) workers.values().iterator().next();
		assertThat(worker.keySet()).contains("stats", "registered", "active", "active_queues");
		assertThat((List<Object>) worker.get("registered")).contains("tasks.add", "tasks.tick");
		assertThat(((Map<String, Object>) worker.get("stats")).get("total")).isInstanceOf(Map.class);
		Map<String, Object> queues = json(get("/api/queues/length"), 200);
		assertThat((List<Object>) queues.get("active_queues"))
			.anySatisfy((queue) -> assertThat((Map<String, Object>) queue).containsEntry("name", "celery")
				.containsKey("messages"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void showsCeleryInHealthAndInTheActuatorEndpoint() throws Exception {
		Map<String, Object> health = json(get("/actuator/health"), 200);
		Map<String, Object> celery = (Map<String, Object>) ((Map<String, Object>) health.get("components"))
			.get("celery");
		assertThat(celery.get("status")).isEqualTo("UP");
		assertThat((Map<String, Object>) celery.get("details")).containsEntry("broker", "memory://");
		Map<String, Object> endpoint = json(get("/actuator/celery"), 200);
		assertThat(endpoint.keySet()).containsExactlyInAnyOrder("workers", "queues", "tasks", "schedules");
		assertThat((List<Object>) endpoint.get("schedules"))
			.anySatisfy((schedule) -> assertThat((Map<String, Object>) schedule).containsEntry("task", "tasks.tick")
				.containsKey("next-run"));
	}

	@Test
	void prometheusScrapeListsTheCeleryMeters() throws Exception {
		String id = (String) json(post("/api/task/async-apply/tasks.mul", "{\"args\": [6, 7]}"), 200).get("task-id");
		json(get("/api/task/result/" + id + "?timeout=20"), 200);
		HttpResponse<String> scrape = get("/actuator/prometheus");
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.body())
			.contains("celery_task_execution_seconds_count{outcome=\"success\",task=\"tasks.mul\"}")
			.contains("celery_task_received_total{task=\"tasks.mul\"}")
			.contains("celery_queue_length{queue=\"celery\"}")
			.contains("celery_worker_pool_size{worker=\"")
			.contains("celery_worker_active{worker=\"");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return (Map<String, Object>) Json.read(response.body());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
