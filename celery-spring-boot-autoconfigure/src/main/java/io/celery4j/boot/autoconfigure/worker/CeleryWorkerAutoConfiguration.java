package io.celery4j.boot.autoconfigure.worker;

import io.celery4j.backend.ResultBackend;
import io.celery4j.boot.autoconfigure.CeleryAutoConfiguration;
import io.celery4j.boot.autoconfigure.CeleryProperties;
import io.celery4j.broker.Broker;
import io.celery4j.control.Mingle;
import io.celery4j.client.CanvasTasks;
import io.celery4j.client.CeleryClient;
import io.celery4j.control.Pidbox;
import io.celery4j.task.TaskRegistry;
import io.celery4j.task.TaskRouter;
import io.celery4j.worker.WorkerContainer;
import io.celery4j.worker.WorkerObserver;
import io.celery4j.worker.WorkerOptions;
import io.celery4j.worker.WorkerStateDb;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the worker that runs this application's tasks; every
 * {@link WorkerObserver} bean observes its message path.
 */
@AutoConfiguration(after = CeleryAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "celery.worker.enabled", matchIfMissing = true)
public final class CeleryWorkerAutoConfiguration {

	CeleryWorkerAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerContainer celeryWorkerContainer(Broker broker, ResultBackend backend, TaskRegistry tasks,
			CeleryProperties properties, ObjectProvider<WorkerContainerCustomizer> customizers,
			ObjectProvider<WorkerObserver> observers, ObjectProvider<CeleryClient> client,
			ObjectProvider<TaskRouter> routers) {
		// Celery's built-in canvas tasks (celery.map, celery.starmap, celery.chunks).
		client.ifAvailable((available) -> CanvasTasks.register(tasks, available));
		WorkerOptions options = WorkerOptionsFactory.create(properties);
		WorkerContainer worker = new WorkerContainer(broker, backend, tasks, options);
		// Canvas messages the worker sends are routed like the client's.
		routers.ifAvailable(worker::setTaskRouter);
		// State db before mingle: the hello carries the ids loaded from the file.
		WorkerStateDb stateDb = WorkerOptionsFactory.stateDb(properties, options.nodeName());
		if (stateDb != null) {
			worker.addExtension(stateDb);
		}
		if (properties.getWorker().isMingle()) {
			worker.addExtension(new Mingle());
		}
		worker.addExtension(new Pidbox(properties.getWorker().isRemoteShutdown()));
		observers.orderedStream().forEach(worker::addObserver);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(worker));
		return worker;
	}

}
