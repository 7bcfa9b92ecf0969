package io.celery4j.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.celery4j.protocol.Json;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Keeps a worker's revoked task ids (with when each is forgotten) and its clock in a JSON
 * file across restarts: loaded before the worker fetches its first message, saved every
 * minute while it runs (when something changed) and when it stops. Counterpart of
 * Celery's {@code --statedb} ({@code worker_state_db}, {@code worker.state.Persistent}),
 * which keeps a pickled shelve instead; this file is plain JSON that nothing but this
 * class reads:
 *
 * <pre class="code">
 * {"format": "celery4j-state-db", "version": 1, "node": "celery@host", "clock": 42,
 *  "revoked": [{"id": "…", "expires": "2026-11-25T13:45:00.123Z"}]}
 * </pre>
 *
 * The file is written to a temporary file beside it and moved into place, so a crash
 * while saving leaves the previous state.
 */
public final class WorkerStateDb implements WorkerExtension {

	/** How often the state is saved while the worker runs. */
	public static final Duration DEFAULT_SAVE_INTERVAL = Duration.ofMinutes(1);

	static final String FORMAT = "celery4j-state-db";

	private static final Logger logger = LoggerFactory.getLogger(WorkerStateDb.class);

	private final Path file;

	private final Duration saveInterval;

	private @Nullable ScheduledExecutorService saver;

	private long savedChanges = -1;

	/**
	 * Create a state db that saves every minute.
	 * @param file the file; its directory must exist
	 */
	public WorkerStateDb(Path file) {
		this(file, DEFAULT_SAVE_INTERVAL);
	}

	/**
	 * Create a state db.
	 * @param file the file; its directory must exist
	 * @param saveInterval how often to save while the worker runs
	 */
	public WorkerStateDb(Path file, Duration saveInterval) {
		Assert.notNull(file, "'file' must not be null");
		Assert.isTrue(saveInterval != null && !saveInterval.isNegative() && !saveInterval.isZero(),
				"'saveInterval' must be positive");
		this.file = file.toAbsolutePath();
		this.saveInterval = saveInterval;
	}

	/**
	 * Expand Celery's node name placeholders in a configured path, as
	 * {@code celery worker --statedb} does: {@code %p} (the node name), {@code %n} (its
	 * name part), {@code %h} (its host part), {@code %d} (the host's domain).
	 * @param configured the configured path, for example {@code /var/run/celery/%n.state}
	 * @param nodeName the worker's node name
	 * @return the path
	 */
	public static Path path(String configured, String nodeName) {
		int at = nodeName.indexOf('@');
		String name = (at >= 0) ? nodeName.substring(0, at) : nodeName;
		String host = (at >= 0) ? nodeName.substring(at + 1) : NodeNames.hostname();
		int dot = host.indexOf('.');
		String domain = (dot >= 0) ? host.substring(dot + 1) : "";
		return Path
			.of(configured.replace("%p", nodeName).replace("%n", name).replace("%h", host).replace("%d", domain));
	}

	/**
	 * Return the file.
	 * @return the absolute path
	 */
	public Path getFile() {
		return this.file;
	}

	/**
	 * Check that the file can be used: its directory exists and is writable, and an
	 * existing file is readable and holds a state db. Called at configuration time so
	 * that a bad path fails start-up.
	 * @throws IllegalArgumentException if not, saying what is wrong
	 */
	public void check() {
		Path directory = this.file.getParent();
		if (directory == null || !Files.isDirectory(directory)) {
			throw new IllegalArgumentException("Directory " + directory + " of state db " + this.file
					+ " does not exist; create it or choose another file.");
		}
		if (!Files.isWritable(directory)) {
			throw new IllegalArgumentException("Directory " + directory + " of state db " + this.file
					+ " is not writable; the worker could not save its revoked task ids there.");
		}
		if (Files.isDirectory(this.file)) {
			throw new IllegalArgumentException("State db " + this.file + " is a directory; name a file in it.");
		}
		if (Files.exists(this.file)) {
			read();
		}
	}

	@Override
	public void beforeConsuming(WorkerContainer worker) {
		if (!Files.exists(this.file)) {
			logger.info("Worker {}: state db {} does not exist yet; it is written at the first save",
					worker.getOptions().nodeName(), this.file);
			return;
		}
		State state = read();
		int merged = worker.getRevoked().merge(state.revoked());
		worker.getClock().adjust(state.clock());
		logger.info("Worker {}: loaded {} revoked task id(s) and clock {} from state db {}",
				worker.getOptions().nodeName(), merged, state.clock(), this.file);
	}

	@Override
	public synchronized void start(WorkerContainer worker) {
		ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "celery-state-db");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.saveInterval.toMillis();
		saver.scheduleWithFixedDelay(() -> saveQuietly(worker, false), interval, interval, TimeUnit.MILLISECONDS);
		this.saver = saver;
	}

	@Override
	public synchronized void stop(WorkerContainer worker) {
		ScheduledExecutorService saver = this.saver;
		this.saver = null;
		if (saver != null) {
			saver.shutdownNow();
		}
		saveQuietly(worker, true);
	}

	private synchronized void saveQuietly(WorkerContainer worker, boolean always) {
		try {
			long changes = worker.getRevoked().changes();
			if (always || changes != this.savedChanges) {
				save(worker);
				this.savedChanges = changes;
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Worker {}: state db {} could not be saved: {}", worker.getOptions().nodeName(), this.file,
					ex.getMessage());
		}
	}

	/**
	 * Write the worker's revoked ids and clock now.
	 * @param worker the worker
	 */
	public void save(WorkerContainer worker) {
		List<Map<String, Object>> revoked = new ArrayList<>();
		worker.getRevoked()
			.expiries()
			.forEach((id, expires) -> revoked.add(Map.of("id", id, "expires", expires.toString())));
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("format", FORMAT);
		state.put("version", 1);
		state.put("node", worker.getOptions().nodeName());
		state.put("saved", Instant.now().toString());
		state.put("clock", worker.getClock().forward());
		state.put("revoked", revoked);
		Path temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		try {
			Files.writeString(temporary, Json.write(state), StandardCharsets.UTF_8);
			try {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("State db " + this.file + " could not be written: " + ex, ex);
		}
		logger.debug("Worker {}: saved {} revoked task id(s) to state db {}", worker.getOptions().nodeName(),
				revoked.size(), this.file);
	}

	private State read() {
		String text;
		try {
			// Not readString: bytes that are not UTF-8 are reported as "not a state db".
			text = new String(Files.readAllBytes(this.file), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("State db " + this.file + " could not be read: " + ex, ex);
		}
		Object value;
		try {
			value = Json.read(text);
		}
		catch (RuntimeException ex) {
			throw invalid("it is not JSON (" + ex.getMessage() + ")");
		}
		if (!(value instanceof Map<?, ?> map) || !FORMAT.equals(map.get("format"))) {
			throw invalid("expected a JSON object with \"format\": \"" + FORMAT
					+ "\" (a Python Celery shelve cannot be read)");
		}
		Map<String, Instant> revoked = new LinkedHashMap<>();
		if (map.get("revoked") instanceof List<?> entries) {
			for (Object entry : entries) {
				if (!(entry instanceof Map<?, ?> item) || !(item.get("id") instanceof String id)
						|| !(item.get("expires") instanceof String expires)) {
					throw invalid("each revoked entry needs \"id\" and \"expires\", got " + entry);
				}
				try {
					revoked.put(id, Instant.parse(expires));
				}
				catch (DateTimeParseException ex) {
					throw invalid("revoked entry " + id + " has expires '" + expires + "', not an ISO 8601 instant");
				}
			}
		}
		long clock = (map.get("clock") instanceof Number number) ? number.longValue() : 0;
		return new State(revoked, clock);
	}

	private IllegalArgumentException invalid(String reason) {
		return new IllegalArgumentException("State db " + this.file + " is not usable: " + reason
				+ ". Delete it to start with no saved revoked ids.");
	}

	@Override
	public String toString() {
		return "state db " + this.file;
	}

	private record State(Map<String, Instant> revoked, long clock) {

	}

}
