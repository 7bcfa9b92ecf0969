package io.celery4j.broker;

/**
 * Kombu's priority steps on the Redis transport (PROTOCOL.md 2.2): message priorities 0
 * to 9 map onto the steps 0, 3, 6 and 9, and consumers serve the lower step first (the
 * opposite of AMQP). The in-memory broker uses the same steps so that both transports
 * order messages alike.
 */
public final class Priorities {

	/** The default steps, kombu's {@code priority_steps} transport option. */
	private static final int[] STEPS = { 0, 3, 6, 9 };

	private Priorities() {
	}

	/**
	 * Return how many steps there are.
	 * @return the number of steps (4)
	 */
	public static int stepCount() {
		return STEPS.length;
	}

	/**
	 * Return the step at an index, in the order consumers serve them.
	 * @param index the index, 0 to {@link #stepCount()} - 1
	 * @return the step value (0, 3, 6 or 9)
	 */
	public static int step(int index) {
		return STEPS[index];
	}

	/**
	 * Return the index of the step a priority falls into: the largest step not above it.
	 * Priorities outside 0 to 9 are clamped, as kombu does.
	 * @param priority the message priority
	 * @return the step index, 0 for priorities 0 to 2, 3 for priority 9
	 */
	public static int stepIndex(int priority) {
		int clamped = Math.max(0, Math.min(9, priority));
		int index = 0;
		for (int i = 1; i < STEPS.length; i++) {
			if (STEPS[i] <= clamped) {
				index = i;
			}
		}
		return index;
	}

}
