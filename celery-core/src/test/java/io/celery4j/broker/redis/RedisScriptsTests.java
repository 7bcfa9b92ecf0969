package io.celery4j.broker.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisScriptsTests {

	@Test
	void releaseScriptIsRedisPysLockReleaseByteForByte() {
		// The SHA kombu's EVALSHA sends in vectors/seq-worker-startup.txt.
		assertThat(RedisScripts.RELEASE_LOCK.sha()).isEqualTo("c3f8721cbb97f72bc19e972846bd7aaf91901658");
	}

}
