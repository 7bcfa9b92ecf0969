package io.celery4j.protocol;

/**
 * Reads and writes protocol v2 task messages as kombu JSON envelopes with a base64 body
 * (PROTOCOL.md 1.1 to 1.3). Only {@code application/json} is ever decoded: any other
 * content type (pickle, yaml, msgpack, Java serialization) is refused before the body is
 * looked at.
 */
public final class TaskMessageCodec {

	/**
	 * Encode a message into the envelope JSON text that goes onto a Redis list.
	 * @param message the message
	 * @return the envelope as JSON text
	 */
	public String encode(TaskMessage message) {
		throw new IllegalStateException("pending: protocol helper");
	}

	/**
	 * Decode an envelope read from the broker.
	 * @param envelope the envelope JSON text
	 * @return the message
	 * @throws InvalidTaskException if the envelope, its content type or its body is not a
	 * valid JSON task message; the exception names the message id when known
	 */
	public TaskMessage decode(String envelope) {
		throw new IllegalStateException("pending: protocol helper");
	}

}
