package io.celery4j.task;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TaskRouter}, against what Celery 5.2.6's {@code Router} and
 * {@code MapRoute} choose for the same settings.
 */
class TaskRouterTests {

	private final TaskRegistry registry = new TaskRegistry();

	@Test
	void routesByExactName() {
		TaskRouter router = router("tasks.add", "math");
		assertThat(router.route("tasks.add", null)).isEqualTo("math");
		assertThat(router.route("tasks.addition", null)).isEqualTo("celery");
	}

	@Test
	void routesByGlobWithStar() {
		TaskRouter router = router("reports.*", "reports");
		assertThat(router.route("reports.daily", null)).isEqualTo("reports");
		assertThat(router.route("reports.monthly.pdf", null)).isEqualTo("reports");
		assertThat(router.route("tasks.reports.daily", null)).isEqualTo("celery");
	}

	@Test
	void routesByGlobWithQuestionMarkAndSets() {
		TaskRouter router = router("tasks.?ul*", "single", "tasks.[ab]dd*", "set", "tasks.[!x]ero*", "negated");
		assertThat(router.route("tasks.mul", null)).isEqualTo("single");
		assertThat(router.route("tasks.add", null)).isEqualTo("set");
		assertThat(router.route("tasks.bdd", null)).isEqualTo("set");
		assertThat(router.route("tasks.cdd", null)).isEqualTo("celery");
		assertThat(router.route("tasks.zero", null)).isEqualTo("negated");
		assertThat(router.route("tasks.xero", null)).isEqualTo("celery");
	}

	@Test
	void treatsAKeyWithoutStarAsAPlainNameAsCeleryDoes() {
		TaskRouter router = router("tasks.?ul", "q");
		assertThat(router.route("tasks.mul", null)).isEqualTo("celery");
		assertThat(router.route("tasks.?ul", null)).isEqualTo("q");
	}

	@Test
	void matchesRegexCharactersLiterally() {
		TaskRouter router = router("tasks.a+b*", "literal");
		assertThat(router.route("tasks.a+b.c", null)).isEqualTo("literal");
		assertThat(router.route("tasks.aab", null)).isEqualTo("celery");
	}

	@Test
	void prefersAnExactNameOverAnEarlierGlob() {
		TaskRouter router = router("tasks.*", "all", "tasks.add", "math");
		assertThat(router.route("tasks.add", null)).isEqualTo("math");
		assertThat(router.route("tasks.mul", null)).isEqualTo("all");
	}

	@Test
	void usesTheFirstMatchingGlobInOrder() {
		TaskRouter router = router("tasks.a*", "first", "tasks.*", "second");
		assertThat(router.route("tasks.add", null)).isEqualTo("first");
		assertThat(router.route("tasks.mul", null)).isEqualTo("second");
	}

	@Test
	void letsAnExplicitQueueWin() {
		register("tasks.add", "own");
		TaskRouter router = router("tasks.add", "math");
		assertThat(router.route("tasks.add", "explicit")).isEqualTo("explicit");
	}

	@Test
	void ignoresAnEmptyExplicitQueue() {
		assertThat(router("tasks.add", "math").route("tasks.add", "")).isEqualTo("math");
	}

	@Test
	void usesTheTasksOwnQueueBeforeRoutesAsCeleryApplyAsyncDoes() {
		register("tasks.add", "own");
		assertThat(router("tasks.add", "math", "tasks.*", "all").route("tasks.add", null)).isEqualTo("own");
	}

	@Test
	void usesRoutesForATaskWithoutItsOwnQueue() {
		register("tasks.add", null);
		assertThat(router("tasks.*", "all").route("tasks.add", null)).isEqualTo("all");
	}

	@Test
	void usesTheDefaultQueueWhenNothingElseApplies() {
		assertThat(new TaskRouter(Map.of(), this.registry, "default").route("tasks.add", null)).isEqualTo("default");
	}

	@Test
	void rejectsARouteWithoutQueue() {
		assertThatIllegalArgumentException().isThrownBy(() -> router("tasks.add", ""))
			.withMessageContaining("'tasks.add'");
	}

	private TaskRouter router(String... keysAndQueues) {
		Map<String, String> routes = new LinkedHashMap<>();
		for (int i = 0; i < keysAndQueues.length; i += 2) {
			routes.put(keysAndQueues[i], keysAndQueues[i + 1]);
		}
		return new TaskRouter(routes, this.registry, "celery");
	}

	private void register(String name, @Nullable String queue) {
		this.registry.register(new TaskDefinition(name, (context) -> null, new TaskOptions(queue, false, false),
				"TaskRouterTests#" + name));
	}

}
