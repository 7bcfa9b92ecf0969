package io.celery4j.boot;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the module's direction rules (STYLE section 1): actuator only in health and
 * endpoint packages, Micrometer only in metrics packages, no package cycles.
 */
class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.celery4j.boot");

	@Test
	void actuatorIsUsedOnlyInHealthAndEndpointPackages() {
		noClasses().that()
			.resideOutsideOfPackages("..health..", "..endpoint..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.boot.actuate..", "org.springframework.boot.health..")
			.allowEmptyShould(true)
			.check(CLASSES);
	}

	@Test
	void micrometerIsUsedOnlyInMetricsPackages() {
		noClasses().that()
			.resideOutsideOfPackages("..metrics..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.micrometer..", "org.springframework.boot.micrometer..")
			.allowEmptyShould(true)
			.check(CLASSES);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("io.celery4j.boot.(**)").should().beFreeOfCycles().allowEmptyShould(true).check(CLASSES);
	}

	@Test
	void rulesSeeTheModulesClasses() {
		assertThat(CLASSES.contain("io.celery4j.boot.autoconfigure.CeleryAutoConfiguration")).isTrue();
	}

}
