package io.celery4j.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celery4j.events.EventDispatcher;
import org.jspecify.annotations.Nullable;

/**
 * The {@code worker-online}, {@code worker-heartbeat} and {@code worker-offline} events
 * of a worker (PROTOCOL.md 6.2 and 6.3). Counterpart of Celery's
 * {@code celery.worker.heartbeat.Heart}.
 */
final class WorkerEvents {

	/** Celery's {@code sw_ident} is {@code py-celery}; receivers only display it. */
	static final String SOFTWARE_IDENTITY = "celery4j";

	private static final Path LOADAVG = Path.of("/proc/loadavg");

	private final EventDispatcher dispatcher;

	private final double frequency;

	WorkerEvents(EventDispatcher dispatcher, Duration interval) {
		this.dispatcher = dispatcher;
		this.frequency = interval.toMillis() / 1000.0;
	}

	void online(WorkerState state) {
		this.dispatcher.send("worker-online", fields(state));
	}

	void heartbeat(WorkerState state) {
		this.dispatcher.send("worker-heartbeat", fields(state));
	}

	void offline(WorkerState state) {
		this.dispatcher.send("worker-offline", fields(state));
	}

	/**
	 * Answer the {@code heartbeat} remote control command as Celery does: {@code freq} 5
	 * and the software fields only.
	 */
	void requestedHeartbeat() {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("freq", 5);
		fields.putAll(softwareInfo());
		this.dispatcher.send("worker-heartbeat", fields);
	}

	private Map<String, @Nullable Object> fields(WorkerState state) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("freq", this.frequency);
		fields.put("active", state.getActive().size());
		fields.put("processed", state.getProcessed());
		fields.put("loadavg", loadAverage());
		fields.putAll(softwareInfo());
		return fields;
	}

	static Map<String, String> softwareInfo() {
		Map<String, String> info = new LinkedHashMap<>();
		String version = WorkerEvents.class.getPackage().getImplementationVersion();
		info.put("sw_ident", SOFTWARE_IDENTITY);
		info.put("sw_ver", (version != null) ? version : "dev");
		info.put("sw_sys", System.getProperty("os.name"));
		return info;
	}

	/**
	 * Return the 1, 5 and 15 minute load averages rounded up to two decimals as Celery's
	 * {@code load_average()}; from {@code /proc/loadavg} when there is one.
	 */
	static List<Double> loadAverage() {
		List<Double> averages = new ArrayList<>();
		try {
			String[] parts = Files.readString(LOADAVG).trim().split("\\s+");
			for (int i = 0; i < 3; i++) {
				averages.add(Math.ceil(Double.parseDouble(parts[i]) * 100) / 100);
			}
			return averages;
		}
		catch (IOException | RuntimeException ex) {
			double load = Math.max(0, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
			double rounded = Math.ceil(load * 100) / 100;
			return List.of(rounded, rounded, rounded);
		}
	}

}
