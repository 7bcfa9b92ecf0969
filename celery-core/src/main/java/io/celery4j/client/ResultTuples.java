package io.celery4j.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.celery4j.backend.ResultBackend;
import org.jspecify.annotations.Nullable;

/**
 * Celery's tuple form of result trees, as saved groups hold them: a task result is
 * {@code [[id, parent], null]}, a group {@code [[id, parent], [member, ...]]}, where
 * {@code parent} is the parent's tuple or {@code null}. Counterpart of Celery's
 * {@code as_tuple()} and {@code result_from_tuple()}.
 */
final class ResultTuples {

	private ResultTuples() {
	}

	static List<@Nullable Object> toTuple(AsyncResult result) {
		AsyncResult parent = result.getParent();
		List<@Nullable Object> node = Arrays.asList(result.getId(), (parent != null) ? toTuple(parent) : null);
		List<@Nullable Object> children = null;
		if (result instanceof GroupResult group) {
			children = new ArrayList<>();
			for (AsyncResult member : group.getResults()) {
				children.add(toTuple(member));
			}
		}
		return Arrays.asList(node, children);
	}

	static AsyncResult fromTuple(@Nullable Object tuple, ResultBackend backend, String what) {
		if (!(tuple instanceof List<?> pair) || pair.size() != 2) {
			throw invalid(what, tuple);
		}
		Object node = pair.get(0);
		String id;
		AsyncResult parent = null;
		if (node instanceof String text) {
			id = text;
		}
		else if (node instanceof List<?> idAndParent && idAndParent.size() == 2
				&& idAndParent.get(0) instanceof String text) {
			id = text;
			if (idAndParent.get(1) != null) {
				parent = fromTuple(idAndParent.get(1), backend, what);
			}
		}
		else {
			throw invalid(what, tuple);
		}
		if (pair.get(1) == null) {
			return new AsyncResult(id, backend, parent);
		}
		if (!(pair.get(1) instanceof List<?> children)) {
			throw invalid(what, tuple);
		}
		List<AsyncResult> members = new ArrayList<>(children.size());
		for (Object child : children) {
			members.add(fromTuple(child, backend, what));
		}
		return new GroupResult(id, members, backend, parent);
	}

	private static IllegalArgumentException invalid(String what, @Nullable Object tuple) {
		String text = String.valueOf(tuple);
		return new IllegalArgumentException("Cannot read the result tuple of " + what
				+ ": expected [[id, parent], null] or [[id, parent], [members]], got "
				+ ((text.length() > 100) ? text.substring(0, 100) + "..." : text));
	}

}
