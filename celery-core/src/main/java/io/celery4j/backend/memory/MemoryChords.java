package io.celery4j.backend.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celery4j.backend.ChordMember;
import io.celery4j.backend.ChordPart;
import org.jspecify.annotations.Nullable;

/**
 * The chord bookkeeping of the in-memory backend: the same semantics as Celery's Redis
 * keys (PROTOCOL.md 4.4) with one lock per chord instead of a transaction. A member is
 * added and counted under the chord's lock, so exactly one call sees the count reach the
 * size; a chord that is never completed is dropped after the result expiry.
 */
final class MemoryChords {

	/**
	 * Members with the same index sort by their text, as Redis sorts ties in a sorted
	 * set.
	 */
	private static final Comparator<Entry> ORDER = Comparator.comparingDouble(Entry::score)
		.thenComparing((entry) -> entry.member().encode());

	private final long expiresNanos;

	private final Map<String, Chord> chords = new ConcurrentHashMap<>();

	MemoryChords(long expiresNanos) {
		this.expiresNanos = expiresNanos;
	}

	void setChordSize(String groupId, int size) {
		purgeExpired(System.nanoTime());
		Chord chord = chord(groupId);
		synchronized (chord) {
			chord.size = size;
			chord.touch(this.expiresNanos);
		}
	}

	@Nullable List<ChordMember> onChordPartReturn(ChordPart part) {
		Chord chord = chord(part.groupId());
		synchronized (chord) {
			double score = (part.groupIndex() != null) ? part.groupIndex() : Double.POSITIVE_INFINITY;
			// A set, as Redis' ZADD: the same member twice (a redelivered task) counts
			// once.
			String encoded = part.member().encode();
			chord.entries.removeIf((entry) -> entry.member().encode().equals(encoded));
			chord.entries.add(new Entry(score, part.member()));
			chord.touch(this.expiresNanos);
			if (chord.size == null || chord.entries.size() != chord.size) {
				return null;
			}
			List<Entry> sorted = new ArrayList<>(chord.entries);
			sorted.sort(ORDER);
			return sorted.stream().map(Entry::member).toList();
		}
	}

	void deleteChord(String groupId) {
		this.chords.remove(groupId);
	}

	void clear() {
		this.chords.clear();
	}

	int size() {
		return this.chords.size();
	}

	private Chord chord(String groupId) {
		return this.chords.computeIfAbsent(groupId, (id) -> new Chord());
	}

	private void purgeExpired(long now) {
		if (this.expiresNanos > 0) {
			this.chords.values().removeIf((chord) -> chord.isExpired(now));
		}
	}

	private static final class Chord {

		private final List<Entry> entries = new ArrayList<>();

		private @Nullable Integer size;

		private volatile long deadline;

		void touch(long expiresNanos) {
			this.deadline = System.nanoTime() + expiresNanos;
		}

		boolean isExpired(long now) {
			return now - this.deadline >= 0;
		}

	}

	private record Entry(double score, ChordMember member) {

	}

}
