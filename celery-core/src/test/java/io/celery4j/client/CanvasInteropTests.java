package io.celery4j.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celery4j.backend.ResultBackend;
import io.celery4j.backend.ResultBackends;
import io.celery4j.broker.Broker;
import io.celery4j.broker.Brokers;
import io.celery4j.canvas.Chain;
import io.celery4j.canvas.Chord;
import io.celery4j.canvas.Group;
import io.celery4j.canvas.Signature;
import io.celery4j.protocol.Json;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.testsupport.PythonCelery;
import io.celery4j.testsupport.PythonWorker;
import io.celery4j.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Canvases built by the Java client and run by a real Python Celery 5.2.6 worker on real
 * Redis: the Python worker carries a Java chain, group and chord through to the end only
 * if the Java messages and backend keys are exactly what Celery's client writes. One
 * worker for the class, on a queue of its own. Skipped without Python Celery unless
 * {@code CELERY_INTEROP=required}.
 */
class CanvasInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String QUEUE = "canvas-interop-" + UUID.randomUUID();

	private static PythonCelery python;

	private static Broker broker;

	private static ResultBackend backend;

	private static PythonWorker worker;

	private static CanvasClient canvas;

	private static Map<String, String> environment;

	@BeforeAll
	static void startPythonWorker() {
		python = PythonCelery.require();
		RedisTestServer redis = RedisTestServer.get();
		environment = Map.of("CELERY_BROKER_URL", redis.url(0), "CELERY_RESULT_BACKEND", redis.url(1), "CELERY_QUEUE",
				QUEUE);
		broker = Brokers.create(redis.url(0));
		backend = ResultBackends.create(redis.url(1), Duration.ofHours(1));
		canvas = new CanvasClient(
				new CeleryClient(broker, backend, new TaskRouter(Map.of(), new TaskRegistry(), QUEUE), ZoneOffset.UTC));
		worker = PythonWorker.start(python, environment, QUEUE, "canvas-" + UUID.randomUUID() + "@interop");
	}

	@AfterAll
	static void stop() {
		if (worker != null) {
			worker.close();
		}
		if (broker != null) {
			broker.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void pythonWorkerRunsAJavaChainAndTheParentsHoldEachStep() {
		AsyncResult last = canvas
			.apply(Chain.of(Signature.of("py.add", 2, 3), Signature.of("py.mul", 4), Signature.of("py.add", 10)));
		assertThat(last.get(TIMEOUT)).as(worker::output).isEqualTo(30);
		assertThat(last.getParent().get(TIMEOUT)).isEqualTo(20);
		assertThat(last.getParent().getParent().get(TIMEOUT)).isEqualTo(5);
		assertThat(last.info().parentId()).isEqualTo(last.getParent().getId());
	}

	@Test
	void pythonWorkerSkipsTheParentResultForAnImmutableStep() {
		AsyncResult last = canvas.apply(Chain.of(Signature.of("py.add", 2, 3), Signature.ofImmutable("py.echo", "x")));
		assertThat(last.get(TIMEOUT)).as(worker::output).isEqualTo("x");
	}

	@Test
	void pythonWorkerCallsTheLinkOfAJavaSignature() {
		String callbackId = UUID.randomUUID().toString();
		canvas.apply(Signature.of("py.add", 2, 3).link(Signature.of("py.mul", 10).withTaskId(callbackId)));
		assertThat(new AsyncResult(callbackId, backend).get(TIMEOUT)).as(worker::output).isEqualTo(50);
	}

	@Test
	void pythonWorkerCallsTheLinkErrorOfAJavaSignature() {
		String errbackId = UUID.randomUUID().toString();
		AsyncResult failed = canvas.apply(Signature.of("py.fail", "boom")
			.linkError(Signature.ofImmutable("py.echo", "failed").withTaskId(errbackId)));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(TIMEOUT));
		assertThat(new AsyncResult(errbackId, backend).get(TIMEOUT)).as(worker::output).isEqualTo("failed");
	}

	@Test
	void pythonWorkerRunsAJavaGroupAndPythonRestoresTheSavedGroup() {
		GroupResult group = canvas
			.apply(Group.of(Signature.of("py.add", 0, 0), Signature.of("py.add", 1, 1), Signature.of("py.add", 2, 2)));
		assertThat(group.join(TIMEOUT)).as(worker::output).containsExactly(0, 2, 4);
		assertThat(group.completedCount()).isEqualTo(3);
		group.save();
		GroupResult restored = GroupResult.restore(group.getId(), backend);
		assertThat(restored.join(TIMEOUT)).containsExactly(0, 2, 4);
		PythonCelery.Result result = runPython("""
				from pyapp import app
				group = app.GroupResult.restore(sys.argv[2])
				json.dump({"ids": [r.id for r in group.results], "values": group.get(timeout=30)}, sys.stdout)
				""", group.getId());
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(Json.read(result.stdout())).isEqualTo(Map.of("ids",
				group.getResults().stream().map(AsyncResult::getId).toList(), "values", List.of(0, 2, 4)));
	}

	@Test
	void javaRestoresAGroupThatPythonSaved() {
		PythonCelery.Result result = runPython("""
				from celery import group
				from pyapp import add
				res = group(add.s(i, i) for i in range(3)).apply_async()
				res.save()
				print(res.id)
				""");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		GroupResult restored = GroupResult.restore(result.stdout().strip(), backend);
		assertThat(restored.join(TIMEOUT)).as(worker::output).containsExactly(0, 2, 4);
	}

	@Test
	void pythonWorkerCompletesAJavaChordOnce() {
		AsyncResult body = canvas.apply(Chord.of(
				List.of(Signature.of("py.add", 0, 0), Signature.of("py.add", 1, 1), Signature.of("py.add", 2, 2)),
				Signature.of("py.xsum")));
		assertThat(body.get(TIMEOUT)).as(worker::output).isEqualTo(6);
		assertThat(((GroupResult) body.getParent()).join(TIMEOUT)).containsExactly(0, 2, 4);
	}

	@Test
	void pythonWorkerFailsAJavaChordWithAFailingMemberWithChordError() {
		AsyncResult body = canvas.apply(Chord
			.of(List.of(Signature.of("py.add", 1, 1), Signature.of("py.fail", "bad member")), Signature.of("py.xsum")));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> body.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("ChordError").contains("bad member"));
	}

	@Test
	void pythonWorkerRunsJavaMapStarmapAndChunks() {
		assertThat(canvas.apply(Signature.of("py.echo").map(List.of(1, "two"))).get(TIMEOUT)).as(worker::output)
			.isEqualTo(List.of(1, "two"));
		assertThat(canvas.apply(Signature.of("py.add").starmap(List.of(List.of(1, 2), List.of(3, 4)))).get(TIMEOUT))
			.isEqualTo(List.of(3, 7));
		GroupResult chunks = (GroupResult) canvas
			.apply(Signature.of("py.add").chunks(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6)), 2));
		assertThat(chunks.join(TIMEOUT)).containsExactly(List.of(3, 7), List.of(11));
	}

	/**
	 * Run a script next to {@code pyapp.py} with the worker's broker and backend; its own
	 * arguments start at {@code sys.argv[2]}.
	 */
	private static PythonCelery.Result runPython(String script, String... arguments) {
		String preamble = "import json, os, sys\nos.environ.update(json.loads(sys.argv[1]))\n";
		List<String> all = new ArrayList<>(List.of(Json.write(environment)));
		all.addAll(List.of(arguments));
		return python.run(preamble + script, all, null, TIMEOUT, Path.of("src", "test", "python").toAbsolutePath());
	}

}
