package io.celery4j.events;

import java.util.function.Consumer;

import io.celery4j.broker.Broker;
import io.celery4j.broker.memory.MemoryBroker;
import io.celery4j.broker.redis.RedisBroker;

/**
 * Kombu's fanout exchanges as the Redis transport implements them: messages go to every
 * subscriber connected at the time, nothing is stored (PROTOCOL.md 2.5). Events use the
 * {@code celeryev} exchange, remote control {@code celery.pidbox}.
 * <p>
 * On Redis a message is a {@code PUBLISH} on {@code /<db>.<exchange>/<routing key>} (or
 * {@code /<db>.<exchange>} for an empty routing key) and a subscription a
 * {@code PSUBSCRIBE} with kombu's binding recorded in {@code _kombu.binding.<exchange>};
 * on {@code memory://} an in-process bus shared by everything using the same broker.
 */
public interface Fanout {

	/**
	 * Publish a message to everyone subscribed to the exchange now.
	 * @param exchange the exchange, for example {@code celeryev}
	 * @param routingKey the routing key, for example {@code worker.heartbeat}, or empty
	 * @param envelope the kombu envelope JSON text
	 */
	void publish(String exchange, String routingKey, String envelope);

	/**
	 * Subscribe to an exchange until the returned subscription is closed.
	 * @param exchange the exchange
	 * @param bindingKey kombu binding key: {@code #} for every routing key,
	 * {@code worker.#}, or empty for a fanout without routing keys
	 * @param queue the name of the (never filled) kombu queue the binding names, for
	 * example {@code celeryev.<uuid>} or {@code <node>.celery.pidbox}
	 * @param listener receives each envelope's JSON text on a listener thread
	 * @return the subscription, active when this method returns
	 */
	Subscription subscribe(String exchange, String bindingKey, String queue, Consumer<String> listener);

	/**
	 * Return the fanout of a broker: Redis pub/sub on the broker's Redis and database, or
	 * the in-process bus of a {@code memory://} broker.
	 * @param broker the broker
	 * @return the fanout
	 * @throws IllegalArgumentException for a broker of another kind
	 */
	static Fanout of(Broker broker) {
		if (broker instanceof RedisBroker redis) {
			return new RedisFanout(redis.getConnectionFactory(), redis.getDatabase());
		}
		if (broker instanceof MemoryBroker memory) {
			return MemoryFanout.of(memory);
		}
		throw new IllegalArgumentException("Broker " + broker.maskedUrl() + " (" + broker.getClass().getName()
				+ ") has no fanout exchanges; events and remote control need a redis:// or memory:// broker");
	}

	/**
	 * An active subscription.
	 */
	interface Subscription extends AutoCloseable {

		/**
		 * Stop receiving and remove the binding.
		 */
		@Override
		void close();

	}

}
