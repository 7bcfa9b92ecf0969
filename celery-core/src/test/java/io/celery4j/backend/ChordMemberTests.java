package io.celery4j.backend;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChordMemberTests {

	@Test
	void encodesASuccessAsCeleryAddsItToTheSortedSet() {
		// seq-chord.txt: ZADD ...j 0 "[1, \"8e0083cc-...\", \"SUCCESS\", 0]"
		ChordMember member = new ChordMember("8e0083cc-512a-4f84-96b5-41b5aaf82ef1", TaskState.SUCCESS, 0);
		assertThat(member.encode()).isEqualTo("[1, \"8e0083cc-512a-4f84-96b5-41b5aaf82ef1\", \"SUCCESS\", 0]");
	}

	@Test
	void encodesAFailureWithItsExceptionRecord() {
		ChordMember member = new ChordMember("c32e6bed", TaskState.FAILURE, valueError("bad member"));
		assertThat(member.encode()).isEqualTo("[1, \"c32e6bed\", \"FAILURE\", {\"exc_type\": \"ValueError\", "
				+ "\"exc_message\": [\"bad member\"], \"exc_module\": \"builtins\"}]");
	}

	@Test
	void decodesWhatItEncodes() {
		ChordMember member = new ChordMember("t1", TaskState.SUCCESS, Arrays.asList(1, "two", null));
		assertThat(ChordMember.decode("g1", member.encode())).isEqualTo(member);
	}

	@Test
	void failsOnAStoredValueThatIsNotAMemberNamingTheChord() {
		assertThatIllegalArgumentException().isThrownBy(() -> ChordMember.decode("g1", "[1, 2]"))
			.withMessageContaining("Chord g1")
			.withMessageContaining("[1, 2]");
	}

	@Test
	void countsFailureAndRevokedAsFailedMembers() {
		assertThat(new ChordMember("t", TaskState.FAILURE, null).isFailed()).isTrue();
		assertThat(new ChordMember("t", TaskState.REVOKED, null).isFailed()).isTrue();
		assertThat(new ChordMember("t", TaskState.SUCCESS, null).isFailed()).isFalse();
	}

	@Test
	void wordsTheDependencyErrorAsCeleryStoresItForTheBody() {
		ExceptionInfo captured = TaskMetaCodec
			.decode("3919eef6-b7bd-4173-b331-d1e5b9e62a2e", CeleryWireVectors.read("result-chord-error.json"))
			.exception();
		ChordMember member = new ChordMember("c32e6bed-e042-4883-9540-d5bc2ed18721", TaskState.FAILURE,
				valueError("bad member"));
		assertThat(member.dependencyError()).isEqualTo(captured);
	}

	@Test
	void wordsARevokedMemberAsPythonReprsTaskRevokedError() {
		Map<String, @Nullable Object> revoked = new ExceptionInfo("TaskRevokedError", List.of("revoked"),
				"celery.exceptions")
			.toMap();
		assertThat(new ChordMember("t9", TaskState.REVOKED, revoked).dependencyError().message())
			.isEqualTo("Dependency t9 raised TaskRevokedError('revoked')");
	}

	@Test
	void wordsAnExceptionWithoutArgumentsWithEmptyParentheses() {
		Map<String, @Nullable Object> exception = new LinkedHashMap<>();
		exception.put("exc_type", "IllegalStateException");
		exception.put("exc_message", List.of());
		exception.put("exc_module", "java.lang");
		assertThat(new ChordMember("t", TaskState.FAILURE, exception).dependencyError().message())
			.isEqualTo("Dependency t raised IllegalStateException()");
	}

	private static Map<String, @Nullable Object> valueError(String message) {
		return new ExceptionInfo("ValueError", List.of(message), "builtins").toMap();
	}

}
