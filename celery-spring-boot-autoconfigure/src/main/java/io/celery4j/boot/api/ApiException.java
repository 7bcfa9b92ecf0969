package io.celery4j.boot.api;

import org.springframework.http.HttpStatus;

/**
 * A request the API cannot serve, answered as {@code {"error": message}} with a status.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	/**
	 * Create an exception.
	 * @param status the response status
	 * @param message what was wrong, naming the field, task or id
	 */
	public ApiException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	/**
	 * Return the response status.
	 * @return the status
	 */
	public HttpStatus getStatus() {
		return this.status;
	}

}
