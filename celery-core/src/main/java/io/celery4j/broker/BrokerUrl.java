package io.celery4j.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A parsed broker or result backend URL, in the forms Celery accepts:
 * {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://} for TLS (with
 * {@code ?ssl_cert_reqs=none} to skip certificate checks) and {@code memory://}. Also the
 * one place URLs are masked for logs, messages and health details.
 *
 * @param scheme {@code redis}, {@code rediss} or {@code memory}
 * @param host the host, {@code localhost} when omitted
 * @param port the port, 6379 when omitted
 * @param database the database number, 0 when omitted
 * @param username the ACL user name, if any
 * @param password the password, if any
 * @param verifyPeer whether a TLS connection checks the server's certificate
 * @param query the query parameters as given
 */
public record BrokerUrl(String scheme, String host, int port, int database, @Nullable String username,
		@Nullable String password, boolean verifyPeer, Map<String, String> query) {

	private static final Pattern PASSWORD = Pattern.compile("(://[^:/@]*:)([^@/]*)(@)");

	/**
	 * Parse a URL.
	 * @param url the URL
	 * @return the parsed URL
	 * @throws IllegalArgumentException if the URL is malformed or its scheme is not
	 * supported; the message shows the URL masked and what is accepted
	 */
	public static BrokerUrl parse(String url) {
		if (url == null || url.isBlank()) {
			throw new IllegalArgumentException(
					"URL is empty; expected redis://host:port/db, rediss://... or memory://");
		}
		String trimmed = url.trim();
		int colon = trimmed.indexOf("://");
		String scheme = (colon > 0) ? trimmed.substring(0, colon).toLowerCase(Locale.ROOT) : "";
		if (scheme.equals("memory")) {
			return new BrokerUrl("memory", "", 0, 0, null, null, true, Map.of());
		}
		if (!scheme.equals("redis") && !scheme.equals("rediss")) {
			throw new IllegalArgumentException("Unsupported URL scheme '" + scheme + "' in '" + mask(trimmed)
					+ "'; expected redis://, rediss:// or memory://");
		}
		URI uri;
		try {
			String rest = trimmed.substring(colon + 3);
			// Celery reads 'redis://' alone as localhost:6379/0; java.net.URI wants a
			// host.
			uri = new URI((rest.isEmpty() || rest.startsWith("?")) ? scheme + "://localhost" + rest : trimmed);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Malformed URL '" + mask(trimmed) + "': " + ex.getReason()
					+ "; expected redis://[[user]:password@]host[:port][/db]", ex);
		}
		String host = (uri.getHost() != null) ? uri.getHost() : "localhost";
		int port = (uri.getPort() > 0) ? uri.getPort() : 6379;
		String username = null;
		String password = null;
		String userInfo = uri.getRawUserInfo();
		if (userInfo != null) {
			int separator = userInfo.indexOf(':');
			if (separator >= 0) {
				username = emptyToNull(decode(userInfo.substring(0, separator)));
				password = emptyToNull(decode(userInfo.substring(separator + 1)));
			}
			else {
				password = emptyToNull(decode(userInfo));
			}
		}
		int database = database(uri.getPath(), trimmed);
		Map<String, String> query = query(uri.getRawQuery());
		String certReqs = query.getOrDefault("ssl_cert_reqs", "required").toLowerCase(Locale.ROOT);
		boolean verifyPeer = !(certReqs.equals("none") || certReqs.equals("cert_none"));
		return new BrokerUrl(scheme, host, port, database, username, password, verifyPeer, query);
	}

	private static int database(@Nullable String path, String url) {
		if (path == null || path.isEmpty() || path.equals("/")) {
			return 0;
		}
		String digits = path.substring(1);
		try {
			int database = Integer.parseInt(digits);
			if (database < 0) {
				throw new NumberFormatException();
			}
			return database;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Database '" + digits + "' in '" + mask(url)
					+ "' is not a number; expected redis://host:port/<db number>", ex);
		}
	}

	private static Map<String, String> query(@Nullable String rawQuery) {
		Map<String, String> query = new LinkedHashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return query;
		}
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				query.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
			}
			else if (!pair.isEmpty()) {
				query.put(decode(pair), "");
			}
		}
		return query;
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	private static @Nullable String emptyToNull(@Nullable String text) {
		return (text == null || text.isEmpty()) ? null : text;
	}

	/**
	 * Return whether this is an in-process {@code memory://} URL.
	 * @return whether the scheme is memory
	 */
	public boolean isMemory() {
		return this.scheme.equals("memory");
	}

	/**
	 * Return whether the connection uses TLS ({@code rediss://}).
	 * @return whether TLS is on
	 */
	public boolean isSsl() {
		return this.scheme.equals("rediss");
	}

	/**
	 * Return the URL with the password masked.
	 * @return for example {@code redis://:****@host:6379/0}
	 */
	public String masked() {
		if (isMemory()) {
			return "memory://";
		}
		String auth = "";
		if (this.username != null || this.password != null) {
			auth = ((this.username != null) ? this.username : "") + ((this.password != null) ? ":****" : "") + "@";
		}
		return this.scheme + "://" + auth + this.host + ":" + this.port + "/" + this.database;
	}

	/**
	 * Mask the password in any URL text, even one that does not parse.
	 * @param url the URL text
	 * @return the text with the password replaced by {@code ****}
	 */
	public static String mask(@Nullable String url) {
		if (url == null) {
			return "null";
		}
		Matcher matcher = PASSWORD.matcher(url);
		return matcher.replaceAll("$1****$3");
	}

	@Override
	public String toString() {
		return masked();
	}

}
