package io.celery4j.broker;

/**
 * Byte-exact captures from Python Celery 5.2.6 / kombu 5.2.4, copied from
 * {@code shared/celery-wire/vectors/} (PROTOCOL.md) so that the tests run anywhere.
 */
public final class KombuVectors {

	/** {@code task-add.json}: {@code add.delay(2, 3)} as LPUSHed onto {@code celery}. */
	public static final String TASK_ADD = "{\"body\": \"W1syLCAzXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjog"
			+ "bnVsbCwgImNob3JkIjogbnVsbH1d\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/j"
			+ "son\", \"headers\": {\"lang\": \"py\", \"task\": \"tasks.add\", \"id\": \"86ac9732-7016-475b-82ea-5d7410"
			+ "b04b19\", \"shadow\": null, \"eta\": null, \"expires\": null, \"group\": null, \"group_index\": null,"
			+ " \"retries\": 0, \"timelimit\": [null, null], \"root_id\": \"86ac9732-7016-475b-82ea-5d7410b04b19"
			+ "\", \"parent_id\": null, \"argsrepr\": \"(2, 3)\", \"kwargsrepr\": \"{}\", \"origin\": \"gen12951@vm\", \""
			+ "ignore_result\": false}, \"properties\": {\"correlation_id\": \"86ac9732-7016-475b-82ea-5d7410b0"
			+ "4b19\", \"reply_to\": \"16050096-cf9c-39c1-9a45-b5109ba17ab9\", \"delivery_mode\": 2, \"delivery_i"
			+ "nfo\": {\"exchange\": \"\", \"routing_key\": \"celery\"}, \"priority\": 0, \"body_encoding\": \"base64\","
			+ " \"delivery_tag\": \"1bdf5057-62ff-4e48-b70d-0af431ff1180\"}}";

	/**
	 * {@code unacked-entry.json}: the value kombu stored in {@code unacked} for a fetched
	 * message.
	 */
	public static final String UNACKED_ENTRY = "[{\"body\": \"W1syLCAzXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjo"
			+ "gbnVsbCwgImNob3JkIjogbnVsbH1d\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/"
			+ "json\", \"headers\": {\"lang\": \"py\", \"task\": \"tasks.add\", \"id\": \"f756de46-06e3-4fdd-b6d6-1083d"
			+ "3f3d195\", \"shadow\": null, \"eta\": null, \"expires\": null, \"group\": null, \"group_index\": null"
			+ ", \"retries\": 0, \"timelimit\": [null, null], \"root_id\": \"f756de46-06e3-4fdd-b6d6-1083d3f3d19"
			+ "5\", \"parent_id\": null, \"argsrepr\": \"(2, 3)\", \"kwargsrepr\": \"{}\", \"origin\": \"gen13300@vm\", "
			+ "\"ignore_result\": false}, \"properties\": {\"correlation_id\": \"f756de46-06e3-4fdd-b6d6-1083d3f"
			+ "3d195\", \"reply_to\": \"8f496f21-ef61-357c-8ec0-7070dd3b4efd\", \"delivery_mode\": 2, \"delivery_"
			+ "info\": {\"exchange\": \"\", \"routing_key\": \"celery\"}, \"priority\": 0, \"body_encoding\": \"base64\""
			+ ", \"delivery_tag\": \"9e7fd672-3147-49be-aa5c-e6db4432fe19\"}}, \"\", \"celery\"]";

	/**
	 * {@code task-restored.json}: a message given back at warm shutdown, with the
	 * redelivered marks.
	 */
	public static final String TASK_RESTORED = "{\"body\": \"W1s3LCA3XSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjog"
			+ "bnVsbCwgImNob3JkIjogbnVsbH1d\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/j"
			+ "son\", \"headers\": {\"lang\": \"py\", \"task\": \"tasks.add\", \"id\": \"148c542e-1338-439f-ab44-2b7d27"
			+ "9758da\", \"shadow\": null, \"eta\": \"2026-11-24T22:05:38.403893+00:00\", \"expires\": null, \"grou"
			+ "p\": null, \"group_index\": null, \"retries\": 0, \"timelimit\": [null, null], \"root_id\": \"148c54"
			+ "2e-1338-439f-ab44-2b7d279758da\", \"parent_id\": null, \"argsrepr\": \"(7, 7)\", \"kwargsrepr\": \"{"
			+ "}\", \"origin\": \"gen13300@vm\", \"ignore_result\": false, \"redelivered\": true}, \"properties\": {"
			+ "\"correlation_id\": \"148c542e-1338-439f-ab44-2b7d279758da\", \"reply_to\": \"8f496f21-ef61-357c-"
			+ "8ec0-7070dd3b4efd\", \"delivery_mode\": 2, \"delivery_info\": {\"exchange\": \"\", \"routing_key\": \""
			+ "celery\", \"redelivered\": true}, \"priority\": 0, \"body_encoding\": \"base64\", \"delivery_tag\": \""
			+ "e571ea81-8db7-43c3-b3e6-8f555585cad8\"}}";

	private KombuVectors() {
	}

	/**
	 * Return {@link #TASK_ADD} with another delivery tag, to tell messages apart.
	 * @param deliveryTag the delivery tag
	 * @return the envelope
	 */
	public static String taskAdd(String deliveryTag) {
		return TASK_ADD.replace("1bdf5057-62ff-4e48-b70d-0af431ff1180", deliveryTag);
	}

}
