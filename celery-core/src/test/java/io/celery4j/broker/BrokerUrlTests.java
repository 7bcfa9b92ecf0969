package io.celery4j.broker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BrokerUrlTests {

	@Test
	void parsesHostPortAndDatabase() {
		BrokerUrl url = BrokerUrl.parse("redis://redis.example.com:6380/4");
		assertThat(url.scheme()).isEqualTo("redis");
		assertThat(url.host()).isEqualTo("redis.example.com");
		assertThat(url.port()).isEqualTo(6380);
		assertThat(url.database()).isEqualTo(4);
		assertThat(url.username()).isNull();
		assertThat(url.password()).isNull();
		assertThat(url.isSsl()).isFalse();
		assertThat(url.isMemory()).isFalse();
	}

	@Test
	void defaultsToPort6379AndDatabase0() {
		BrokerUrl url = BrokerUrl.parse("redis://localhost");
		assertThat(url.port()).isEqualTo(6379);
		assertThat(url.database()).isZero();
		assertThat(BrokerUrl.parse("redis://localhost/").database()).isZero();
	}

	@Test
	void defaultsToLocalhostWhenTheHostIsOmittedAsCeleryDoes() {
		BrokerUrl url = BrokerUrl.parse("redis://");
		assertThat(url.host()).isEqualTo("localhost");
		assertThat(url.port()).isEqualTo(6379);
		assertThat(BrokerUrl.parse("redis:///2").database()).isEqualTo(2);
	}

	@Test
	void parsesAPasswordWithoutUser() {
		BrokerUrl url = BrokerUrl.parse("redis://:s3cret@localhost:6379/1");
		assertThat(url.username()).isNull();
		assertThat(url.password()).isEqualTo("s3cret");
	}

	@Test
	void parsesUserAndPasswordDecodingEscapes() {
		BrokerUrl url = BrokerUrl.parse("redis://celery:p%40ss%3Aword@localhost:6379/0");
		assertThat(url.username()).isEqualTo("celery");
		assertThat(url.password()).isEqualTo("p@ss:word");
	}

	@Test
	void redissUsesTlsAndVerifiesThePeerByDefault() {
		BrokerUrl url = BrokerUrl.parse("rediss://cache.example.com:6380/0");
		assertThat(url.isSsl()).isTrue();
		assertThat(url.verifyPeer()).isTrue();
	}

	@Test
	void sslCertReqsNoneTurnsPeerVerificationOff() {
		assertThat(BrokerUrl.parse("rediss://cache:6380/0?ssl_cert_reqs=none").verifyPeer()).isFalse();
		assertThat(BrokerUrl.parse("rediss://cache:6380/0?ssl_cert_reqs=CERT_NONE").verifyPeer()).isFalse();
		assertThat(BrokerUrl.parse("rediss://cache:6380/0?ssl_cert_reqs=required").verifyPeer()).isTrue();
		assertThat(BrokerUrl.parse("rediss://cache:6380/0?ssl_cert_reqs=none").query()).containsEntry("ssl_cert_reqs",
				"none");
	}

	@Test
	void parsesMemory() {
		BrokerUrl url = BrokerUrl.parse("memory://");
		assertThat(url.isMemory()).isTrue();
		assertThat(url.masked()).isEqualTo("memory://");
	}

	@Test
	void rejectsAnUnsupportedSchemeShowingTheUrlMaskedAndWhatIsAccepted() {
		assertThatIllegalArgumentException().isThrownBy(() -> BrokerUrl.parse("amqp://guest:guest@rabbit:5672//"))
			.withMessage("Unsupported URL scheme 'amqp' in 'amqp://guest:****@rabbit:5672//'; "
					+ "expected redis://, rediss:// or memory://");
	}

	@Test
	void rejectsAUrlWithoutScheme() {
		assertThatIllegalArgumentException().isThrownBy(() -> BrokerUrl.parse("localhost:6379"))
			.withMessageContaining("Unsupported URL scheme ''")
			.withMessageContaining("expected redis://, rediss:// or memory://");
	}

	@Test
	void rejectsAnEmptyUrl() {
		assertThatIllegalArgumentException().isThrownBy(() -> BrokerUrl.parse(" "))
			.withMessageContaining("URL is empty");
	}

	@Test
	void rejectsADatabaseThatIsNotANumberShowingTheUrlMasked() {
		assertThatIllegalArgumentException().isThrownBy(() -> BrokerUrl.parse("redis://:pw@localhost:6379/zero"))
			.withMessageContaining("Database 'zero'")
			.withMessageContaining("redis://:****@localhost:6379/zero")
			.withMessageContaining("expected redis://host:port/<db number>")
			.withMessageNotContaining(":pw@");
	}

	@Test
	void rejectsANegativeDatabase() {
		assertThatIllegalArgumentException().isThrownBy(() -> BrokerUrl.parse("redis://localhost:6379/-1"))
			.withMessageContaining("Database '-1'");
	}

	@Test
	void rejectsAMalformedUrlWithoutShowingThePassword() {
		assertThatIllegalArgumentException().isThrownBy(() -> BrokerUrl.parse("redis://:pw@bad host:6379/0"))
			.withMessageContaining("Malformed URL 'redis://:****@bad host:6379/0'")
			.withMessageNotContaining(":pw@");
	}

	@Test
	void maskedHidesThePassword() {
		assertThat(BrokerUrl.parse("redis://:s3cret@localhost:6379/1").masked())
			.isEqualTo("redis://:****@localhost:6379/1");
		assertThat(BrokerUrl.parse("rediss://celery:s3cret@cache:6380/2").masked())
			.isEqualTo("rediss://celery:****@cache:6380/2");
		assertThat(BrokerUrl.parse("redis://localhost").masked()).isEqualTo("redis://localhost:6379/0");
	}

	@Test
	void toStringIsMasked() {
		assertThat(BrokerUrl.parse("redis://:s3cret@localhost:6379/1")).hasToString("redis://:****@localhost:6379/1");
	}

	@Test
	void maskHidesThePasswordInAnyText() {
		assertThat(BrokerUrl.mask("redis://:s3cret@localhost:6379/1")).isEqualTo("redis://:****@localhost:6379/1");
		assertThat(BrokerUrl.mask("redis://user:s3cret@localhost")).isEqualTo("redis://user:****@localhost");
		assertThat(BrokerUrl.mask("redis://localhost:6379/1")).isEqualTo("redis://localhost:6379/1");
		assertThat(BrokerUrl.mask("not a url")).isEqualTo("not a url");
		assertThat(BrokerUrl.mask(null)).isEqualTo("null");
	}

}
