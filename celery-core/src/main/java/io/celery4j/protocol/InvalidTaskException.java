package io.celery4j.protocol;

import io.celery4j.CeleryException;
import org.jspecify.annotations.Nullable;

/**
 * A message that cannot be read as a task: bad JSON, missing headers, a body that is not
 * {@code [args, kwargs, embed]}, or a content type that is not accepted. Counterpart of
 * Celery's {@code InvalidTaskError}. The message names the message id when it is known.
 */
public class InvalidTaskException extends CeleryException {

	private final @Nullable String messageId;

	public InvalidTaskException(@Nullable String messageId, String message) {
		super(message);
		this.messageId = messageId;
	}

	public InvalidTaskException(@Nullable String messageId, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.messageId = messageId;
	}

	/**
	 * Return the id of the offending message (task id, else delivery tag), if known.
	 * @return the id or {@code null}
	 */
	public @Nullable String getMessageId() {
		return this.messageId;
	}

}
