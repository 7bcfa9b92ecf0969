package io.celery4j.canvas;

import java.util.Map;

import io.celery4j.protocol.Json;
import io.celery4j.testsupport.PythonCelery;
import org.jspecify.annotations.Nullable;

/**
 * Signatures as Celery 5.2.6 writes them:
 * {@code io/celery4j/canvas/python-signatures.json}, the output of
 * {@code interop/canvas_signatures.py} run once with {@code /usr/bin/python3}
 * ({@link SignatureInteropTests} runs it again and compares).
 */
final class PythonSignatures {

	static final String FIXTURE = "io/celery4j/canvas/python-signatures.json";

	static final String SCRIPT = "interop/canvas_signatures.py";

	private PythonSignatures() {
	}

	/**
	 * Return every case of the fixture by name, in file order, as parsed JSON.
	 * @return the cases
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Map<String, @Nullable Object>> cases() {
		return (Map<String, Map<String, @Nullable Object>>) Json.read(PythonCelery.resource(FIXTURE));
	}

	/**
	 * Return one case written back as compact JSON, keys in Celery's order.
	 * @param name the case name
	 * @return the text
	 */
	static String json(String name) {
		Map<String, @Nullable Object> value = cases().get(name);
		if (value == null) {
			throw new IllegalArgumentException("No case '" + name + "' in " + FIXTURE);
		}
		return Json.write(value);
	}

}
