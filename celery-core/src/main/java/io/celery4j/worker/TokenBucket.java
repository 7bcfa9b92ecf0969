package io.celery4j.worker;

/**
 * Where a rate-limited task takes its tokens: one bucket per task name per worker (as in
 * Celery) or one shared by all workers through Redis.
 */
interface TokenBucket {

	/**
	 * Take one token if there is one.
	 * @return 0 if a token was taken, else how many nanoseconds until one may be there
	 */
	long tryTake();

	/**
	 * A bucket in this JVM with room for one token, refilled at the task's rate.
	 * Counterpart of kombu's {@code TokenBucket(rate, capacity=1)} that Celery's consumer
	 * keeps per task.
	 */
	final class Local implements TokenBucket {

		private final double perNano;

		private double tokens = 1;

		private long timestamp = System.nanoTime();

		Local(double perSecond) {
			this.perNano = perSecond / 1e9;
		}

		@Override
		public synchronized long tryTake() {
			long now = System.nanoTime();
			this.tokens = Math.min(1, this.tokens + (now - this.timestamp) * this.perNano);
			this.timestamp = now;
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return 0;
			}
			return Math.max(1, (long) Math.ceil((1 - this.tokens) / this.perNano));
		}

	}

}
