package io.celery4j.boot.autoconfigure;

import io.celery4j.broker.Brokers;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Explains a bad {@code celery.broker-url} or {@code celery.result-backend}: the URL with
 * its password masked, where it was set, what went wrong and the accepted forms. Runs
 * before Boot's own analyzer for invalid property values, which would print the URL as
 * given, password included.
 */
class CeleryUrlFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationPropertyValueException>
		implements Ordered {

	private final @Nullable ConfigurableEnvironment environment;

	CeleryUrlFailureAnalyzer(@Nullable Environment environment) {
		this.environment = (environment instanceof ConfigurableEnvironment configurable) ? configurable : null;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure,
			InvalidConfigurationPropertyValueException cause) {
		String property = cause.getName();
		if (!CeleryConnections.BROKER_URL.equals(property) && !CeleryConnections.RESULT_BACKEND.equals(property)) {
			return null;
		}
		StringBuilder description = new StringBuilder();
		description.append("Invalid value '")
			.append(Brokers.mask(String.valueOf(cause.getValue())))
			.append("' for configuration property '")
			.append(property)
			.append("'");
		Origin origin = origin(property);
		if (origin != null) {
			description.append(" (originating from '").append(origin).append("')");
		}
		description.append(": ").append(Brokers.mask(String.valueOf(cause.getReason())));
		return new FailureAnalysis(description.toString(), action(property), cause);
	}

	private @Nullable Origin origin(String property) {
		if (this.environment == null) {
			return null;
		}
		for (PropertySource<?> source : this.environment.getPropertySources()) {
			if (source.containsProperty(property)) {
				return OriginLookup.getOrigin(source, property);
			}
		}
		return null;
	}

	private static String action(String property) {
		String forms = "redis://[[user]:password@]host[:port][/db], rediss://... for TLS (add ?ssl_cert_reqs=none "
				+ "to skip certificate checks), or memory:// for an in-process broker";
		if (CeleryConnections.RESULT_BACKEND.equals(property)) {
			return "Set " + property + " to " + forms.replace("broker", "backend")
					+ ", or to 'disabled' to store no results.";
		}
		return "Set " + property + " to " + forms + ". To reuse the application's Redis (spring.data.redis.*), set "
				+ CeleryConnections.USE_SPRING_DATA_REDIS + "=true instead.";
	}

	@Override
	public int getOrder() {
		// Before Boot's InvalidConfigurationPropertyValueFailureAnalyzer (unordered).
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
