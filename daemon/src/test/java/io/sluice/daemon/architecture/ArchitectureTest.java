package io.sluice.daemon.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code base: the libraries stand alone, and the daemon's packages depend on each
 * other one way, along the data flow (no cycles; nothing reaches back into the composition root).
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sluice");
    }

    @Test
    void theLibrariesKnowNeitherMicronautNorTheDaemon() {
        noClasses().that().resideInAnyPackage("io.sluice.protocol..", "io.sluice.queue..", "io.sluice.dkim..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "io.sluice.daemon..", "io.sluice.bench..")
                .because("protocol, queue and dkim are libraries usable without the daemon's framework")
                .check(production);
    }

    @Test
    void theLibrariesWereImported() {
        // guards the rule above against passing on an empty import (e.g. a changed class path)
        for (String pkg : new String[] {"io.sluice.protocol", "io.sluice.queue", "io.sluice.dkim", "io.sluice.daemon"}) {
            if (production.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
                throw new AssertionError("no classes of " + pkg + " on the test class path");
            }
        }
    }

    @Test
    void theDaemonsPackagesHaveNoCycles() {
        slices().matching("io.sluice.daemon.(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void nothingDependsOnTheCompositionRoot() {
        noClasses().that().resideInAPackage("io.sluice.daemon.*..")
                .should().dependOnClassesThat().resideInAPackage("io.sluice.daemon")
                .because("io.sluice.daemon holds the entry points (Sluice, ConfigCheck), which wire everything else")
                .check(production);
    }
}
