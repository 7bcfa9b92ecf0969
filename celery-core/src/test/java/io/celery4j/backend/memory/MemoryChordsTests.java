package io.celery4j.backend.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import io.celery4j.backend.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chord bookkeeping of {@link MemoryResultBackend}.
 */
class MemoryChordsTests {

	private final MemoryResultBackend backend = new MemoryResultBackend(Duration.ofDays(1));

	private final ExecutorService executor = Executors.newFixedThreadPool(8);

	@AfterEach
	void shutdown() throws InterruptedException {
		this.backend.close();
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void completesTheChordOnlyWithTheLastMemberAndOrdersResultsByGroupIndex() {
		this.backend.setChordSize("g1", 3);
		assertThat(this.backend.onChordPartReturn(part("g1", 2, "t2", 4))).isNull();
		assertThat(this.backend.onChordPartReturn(part("g1", 0, "t0", 0))).isNull();
		List<ChordMember> members = this.backend.onChordPartReturn(part("g1", 1, "t1", 2));
		assertThat(members).extracting(ChordMember::result).containsExactly(0, 2, 4);
	}

	@Test
	void neverCompletesAChordWithoutSize() {
		assertThat(this.backend.onChordPartReturn(part("g2", 0, "t0", 0))).isNull();
	}

	@Test
	void countsARedeliveredMemberOnce() {
		this.backend.setChordSize("g3", 2);
		assertThat(this.backend.onChordPartReturn(part("g3", 0, "t0", 1))).isNull();
		assertThat(this.backend.onChordPartReturn(part("g3", 0, "t0", 1))).isNull();
		assertThat(this.backend.onChordPartReturn(part("g3", 1, "t1", 1))).hasSize(2);
	}

	@Test
	void sortsMembersWithoutIndexLast() {
		this.backend.setChordSize("g4", 2);
		this.backend.onChordPartReturn(part("g4", null, "late", "x"));
		assertThat(this.backend.onChordPartReturn(part("g4", 5, "t5", "y"))).extracting(ChordMember::taskId)
			.containsExactly("t5", "late");
	}

	@Test
	void completesTheChordExactlyOnceWhenMembersFinishConcurrently() throws Exception {
		int size = 200;
		this.backend.setChordSize("g5", size);
		List<Future<List<ChordMember>>> calls = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			int index = i;
			calls
				.add(this.executor.submit(() -> this.backend.onChordPartReturn(part("g5", index, "t" + index, index))));
		}
		List<List<ChordMember>> completions = new ArrayList<>();
		for (Future<List<ChordMember>> call : calls) {
			List<ChordMember> members = call.get(30, TimeUnit.SECONDS);
			if (members != null) {
				completions.add(members);
			}
		}
		assertThat(completions).hasSize(1);
		assertThat(completions.get(0)).extracting(ChordMember::result).containsExactlyElementsOf(range(size));
	}

	@Test
	void forgetsADeletedChord() {
		this.backend.setChordSize("g6", 1);
		assertThat(this.backend.onChordPartReturn(part("g6", 0, "t0", 0))).hasSize(1);
		this.backend.deleteChord("g6");
		assertThat(this.backend.onChordPartReturn(part("g6", 0, "t0", 0))).isNull();
	}

	private static List<Object> range(int size) {
		List<Object> values = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			values.add(i);
		}
		return values;
	}

	private static ChordPart part(String groupId, Integer groupIndex, String taskId, Object result) {
		return new ChordPart(groupId, groupIndex, new ChordMember(taskId, TaskState.SUCCESS, result));
	}

}
