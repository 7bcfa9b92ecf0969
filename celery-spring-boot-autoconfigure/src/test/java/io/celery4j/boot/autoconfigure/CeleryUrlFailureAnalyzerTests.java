package io.celery4j.boot.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link CeleryUrlFailureAnalyzer}.
 */
@ExtendWith(OutputCaptureExtension.class)
class CeleryUrlFailureAnalyzerTests {

	private static final String RAW_URL = "amqp://guest:s3cret@rabbit:5672//";

	@Test
	void describesBadBrokerUrlMaskedWithTheAcceptedForms() {
		FailureAnalysis analysis = analyze("celery.broker-url");
		assertThat(analysis.getDescription()).contains("celery.broker-url")
			.contains("amqp://guest:****@rabbit:5672//")
			.contains("Unsupported URL scheme 'amqp'")
			.doesNotContain("s3cret");
		assertThat(analysis.getAction()).contains("redis://").contains("memory://");
	}

	@Test
	void describesBadResultBackendWithDisabledAsAnOption() {
		FailureAnalysis analysis = analyze("celery.result-backend");
		assertThat(analysis.getDescription()).contains("celery.result-backend").doesNotContain("s3cret");
		assertThat(analysis.getAction()).contains("'disabled'");
	}

	@Test
	void ignoresOtherProperties() {
		InvalidConfigurationPropertyValueException cause = new InvalidConfigurationPropertyValueException(
				"celery.worker.concurrency", 0, "Concurrency must be at least 1.");
		assertThat(new CeleryUrlFailureAnalyzer(new StandardEnvironment()).analyze(cause)).isNull();
	}

	@Test
	void startupFailureNamesThePropertyAndNeverPrintsThePassword(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(CeleryOnlyApplication.class).web(WebApplicationType.NONE)
				.run("--celery.broker-url=" + RAW_URL));
		assertThat(output).contains("celery.broker-url")
			.contains("amqp://guest:****@rabbit:5672//")
			.contains("Action:")
			.doesNotContain("s3cret");
	}

	private FailureAnalysis analyze(String property) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(property, RAW_URL)));
		InvalidConfigurationPropertyValueException cause = new InvalidConfigurationPropertyValueException(property,
				"amqp://guest:****@rabbit:5672//",
				"Unsupported URL scheme 'amqp' in 'amqp://guest:****@rabbit:5672//'; expected redis://, rediss:// "
						+ "or memory://");
		FailureAnalysis analysis = new CeleryUrlFailureAnalyzer(environment)
			.analyze(new BeanCreationException("celeryBroker", "Failed to instantiate", cause));
		assertThat(analysis).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(CeleryAutoConfiguration.class)
	static class CeleryOnlyApplication {

	}

}
