package dev.streamer.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries that module descriptors cannot express: what each module may depend on.
 * Runs over the main classes of every module.
 */
class ArchitectureTests {
    private static final List<String> MODULE_ROOTS = List.of("dev.streamer.api", "dev.streamer.core",
            "dev.streamer.transport.tcp", "dev.streamer.source.javasound", "dev.streamer.app");
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.streamer");
        // A rule over no classes passes vacuously: make sure every module was imported.
        for (String root : MODULE_ROOTS) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(root)))
                    .as("classes of %s imported", root).isTrue();
        }
    }

    @Test
    void apiDependsOnJavaBaseOnly() {
        classes().that().resideInAPackage("dev.streamer.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.streamer.api..", "java.lang..", "java.util..",
                        "java.io..", "java.nio..", "java.time..", "java.net..")
                .check(classes);
    }

    @Test
    void pluginsDependOnTheApiOnly() {
        noClasses().that().resideInAnyPackage("dev.streamer.transport..", "dev.streamer.source..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.streamer.core..", "dev.streamer.app..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.streamer.transport..")
                .should().dependOnClassesThat().resideInAPackage("dev.streamer.source..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.streamer.source..")
                .should().dependOnClassesThat().resideInAPackage("dev.streamer.transport..")
                .check(classes);
    }

    @Test
    void internalPackagesStayInsideTheirModule() {
        for (String root : MODULE_ROOTS) {
            noClasses().that().resideOutsideOfPackage(root + "..")
                    .should().dependOnClassesThat().resideInAPackage(root + ".internal..")
                    .because(root + ".internal is that module's private implementation")
                    .check(classes);
        }
    }

    @Test
    void onlyTheAppKnowsJacksonAndTheCommandLineLibrary() {
        noClasses().that().resideOutsideOfPackage("dev.streamer.app..")
                .should().dependOnClassesThat().resideInAnyPackage("tools.jackson..", "com.fasterxml.jackson..", "picocli..")
                .check(classes);
    }

    @Test
    void coreNeverReachesIntoTheApp() {
        noClasses().that().resideInAnyPackage("dev.streamer.core..", "dev.streamer.api..")
                .should().dependOnClassesThat().resideInAPackage("dev.streamer.app..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.streamer.(**)").should().beFreeOfCycles().check(classes);
    }
}
