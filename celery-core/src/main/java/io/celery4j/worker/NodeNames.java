package io.celery4j.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Worker node names as Celery builds them: {@code name@host}, {@code celery@<hostname>}
 * by default, with {@code %h} (full host name), {@code %n} (host name up to the first
 * dot) and {@code %d} (domain) expanded. Counterpart of {@code celery.utils.nodenames}.
 */
public final class NodeNames {

	private NodeNames() {
	}

	/**
	 * Return the node name for a configured name.
	 * @param configured the configured name ({@code -n}), or {@code null} for the default
	 * @return the expanded node name
	 */
	public static String nodeName(@Nullable String configured) {
		String host = hostname();
		if (configured == null || configured.isBlank()) {
			return "celery@" + host;
		}
		int dot = host.indexOf('.');
		String shortName = (dot < 0) ? host : host.substring(0, dot);
		String domain = (dot < 0) ? "" : host.substring(dot + 1);
		String expanded = configured.replace("%h", host).replace("%n", shortName).replace("%d", domain);
		return expanded.contains("@") ? expanded : expanded + "@" + host;
	}

	/**
	 * Return the name non-worker processes use in {@code origin} headers and events:
	 * {@code gen<pid>@<hostname>}.
	 * @return the process name
	 */
	public static String processName() {
		return "gen" + ProcessHandle.current().pid() + "@" + hostname();
	}

	/**
	 * Return this machine's host name.
	 * @return the host name, {@code localhost} if it cannot be found
	 */
	public static String hostname() {
		String env = System.getenv("HOSTNAME");
		if (env != null && !env.isBlank()) {
			return env.toLowerCase(Locale.ROOT);
		}
		try {
			return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
