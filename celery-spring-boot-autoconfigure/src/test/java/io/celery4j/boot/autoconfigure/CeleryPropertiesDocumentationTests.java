package io.celery4j.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/configuration.md} and the configuration metadata generated from
 * {@link CeleryProperties} listing the same properties.
 */
class CeleryPropertiesDocumentationTests {

	private static final Path DOCUMENTATION = Path.of("..", "docs", "configuration.md");

	private static final Pattern DOCUMENTED_PROPERTY = Pattern
		.compile("^\\| `((?:management\\.endpoint\\.)?celery\\.[a-z0-9.\\-]+)(\\.<[a-z]+>)?`", Pattern.MULTILINE);

	@Test
	void documentationListsExactlyTheGeneratedProperties() throws IOException {
		assertThat(documentedProperties()).containsExactlyInAnyOrderElementsOf(metadataProperties());
	}

	@Test
	void everyGeneratedPropertyHasADescription() throws IOException {
		for (JsonNode property : metadata().get("properties")) {
			assertThat(property.path("description").asString()).as(property.get("name").asString()).isNotBlank();
		}
	}

	private Set<String> metadataProperties() throws IOException {
		Set<String> names = new LinkedHashSet<>();
		for (JsonNode property : metadata().get("properties")) {
			names.add(property.get("name").asString());
		}
		assertThat(names).isNotEmpty();
		return names;
	}

	private JsonNode metadata() throws IOException {
		try (InputStream input = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(input).as("generated configuration metadata on the class path").isNotNull();
			return JsonMapper.builder().build().readTree(input);
		}
	}

	private Set<String> documentedProperties() throws IOException {
		String text = Files.readString(DOCUMENTATION);
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = DOCUMENTED_PROPERTY.matcher(text);
		while (matcher.find()) {
			assertThat(names.add(matcher.group(1))).as("%s documented once", matcher.group(1)).isTrue();
		}
		return names;
	}

}
