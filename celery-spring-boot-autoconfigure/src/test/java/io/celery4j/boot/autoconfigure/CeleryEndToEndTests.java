package io.celery4j.boot.autoconfigure;

/**
 * End-to-end tests on the in-process {@code memory://} broker and backend.
 */
class CeleryEndToEndTests extends AbstractCeleryEndToEndTests {

	@Override
	String[] transportProperties() {
		return new String[] { "celery.broker-url=memory://" };
	}

}
