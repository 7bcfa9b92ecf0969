package io.celery4j.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The captured task messages of {@code shared/celery-wire/vectors} (Celery 5.2.6, kombu
 * 5.2.4), copied byte for byte into {@code src/test/resources/celery-wire/vectors}.
 */
final class TaskVectors {

	static final String DIRECTORY = "celery-wire/vectors/";

	private TaskVectors() {
	}

	/**
	 * Return the exact text of a vector file.
	 * @param name the file name, for example {@code task-add.json}
	 * @return the text
	 */
	static String read(String name) {
		try (InputStream in = TaskVectors.class.getClassLoader().getResourceAsStream(DIRECTORY + name)) {
			if (in == null) {
				throw new IllegalStateException("Vector " + DIRECTORY + name + " is not on the test classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the messages of a {@code .jsonl} vector, one per line in send order.
	 * @param name the file name
	 * @return the envelopes
	 */
	static List<String> lines(String name) {
		return read(name).lines().filter((line) -> !line.isBlank()).toList();
	}

	/**
	 * Return every task message vector on the classpath: the file name (with
	 * {@code #line} for {@code .jsonl}) and the envelope.
	 * @return name and envelope pairs
	 */
	static List<Map.Entry<String, String>> allTaskMessages() {
		List<Map.Entry<String, String>> messages = new ArrayList<>();
		for (String name : taskFileNames()) {
			if (name.endsWith(".jsonl")) {
				List<String> lines = lines(name);
				for (int i = 0; i < lines.size(); i++) {
					messages.add(Map.entry(name + "#" + (i + 1), lines.get(i)));
				}
			}
			else {
				messages.add(Map.entry(name, read(name)));
			}
		}
		return messages;
	}

	/**
	 * Return the names of the task message files on the classpath, sorted.
	 * @return names such as {@code task-add.json}
	 */
	static List<String> taskFileNames() {
		try (Stream<Path> files = Files.list(directory())) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.startsWith("task-") && (name.endsWith(".json") || name.endsWith(".jsonl")))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path directory() {
		URL url = TaskVectors.class.getClassLoader().getResource(DIRECTORY + "task-add.json");
		if (url == null) {
			throw new IllegalStateException("Vectors are not on the test classpath under " + DIRECTORY);
		}
		try {
			return Path.of(url.toURI()).getParent();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the decoded body {@code [args, kwargs, embed]} of an envelope, read without
	 * the codec under test.
	 * @param envelope the envelope
	 * @return the body as plain values
	 */
	@SuppressWarnings("unchecked")
	static List<@Nullable Object> body(Map<String, @Nullable Object> envelope) {
		byte[] bytes = Base64.getDecoder().decode((String) envelope.get("body"));
		return (List<@Nullable Object>) Json.read(new String(bytes, StandardCharsets.UTF_8));
	}

	/**
	 * Return an envelope as an ordered tree whose body is the decoded body tree, so two
	 * envelopes compare by content and key order whatever the JSON spacing of the body.
	 * @param envelope the envelope JSON text
	 * @return the tree
	 */
	@SuppressWarnings("unchecked")
	static Map<String, @Nullable Object> tree(String envelope) {
		Map<String, @Nullable Object> tree = (Map<String, @Nullable Object>) Json.read(envelope);
		tree.put("body", body(tree));
		return tree;
	}

	@SuppressWarnings("unchecked")
	static Map<String, @Nullable Object> map(@Nullable Object value) {
		return (Map<String, @Nullable Object>) value;
	}

}
