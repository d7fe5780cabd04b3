package dev.aar.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;

/**
 * Keeps the architecture honest with ArchUnit (docs/architecture.md, "Dependency rules"): no
 * dependency cycle among the packages of aar-core's main code, no use of an {@code internal} package
 * from outside its owner, and SPI modules that know nothing of aar-core.
 *
 * <p>A package and its own {@code internal} sub-package are one slice: the implementation may use
 * the API it implements. The root's {@code dev.aar.core.internal} (small shared utilities every
 * package may use) is a slice of its own, below everything, while the root package holds only the
 * {@link Aar} entry point, above everything.
 */
@AnalyzeClasses(packages = {"dev.aar.core", "dev.aar.spi", "dev.aar.storage", "dev.aar.queue", "dev.aar.embedding"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCycleTest {

    private static final String ROOT = "dev.aar.core";

    /** Deliberate uses of another package's internals, each with its reason. Keep this list short. */
    private static final Map<String, String> FRIENDS = Map.of(
            // preflight walks archives with the extractor's own readers, so both apply the same defences
            // and count the same entries; the readers are not public API
            "dev.aar.core.preflight", "dev.aar.core.extract.internal",
            // the entry point registers what it wired for the project's own server, CLI and tests; no API
            ROOT, "dev.aar.core.wiring.internal");

    @ArchTest
    static final ArchRule thereAreNoPackageCycles = slices().matching(ROOT + ".(*)..").namingSlices("$1")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheRootUsesTheEntryPoint = noClasses().that().resideOutsideOfPackage(ROOT)
            .should().dependOnClassesThat().resideInAPackage(ROOT)
            .because("the root package holds only the Aar entry point, which no package uses");

    @ArchTest
    static final ArchRule internalPackagesAreUsedOnlyByTheirOwner = classes().that().resideInAPackage(ROOT + "..")
            .should(useNoOtherPackagesInternals());

    @ArchTest
    static final ArchRule spiModulesAreFreeOfCore = noClasses()
            .that().resideInAnyPackage("dev.aar.spi..", "dev.aar.storage..", "dev.aar.queue..", "dev.aar.embedding..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + "..")
            .because("the SPI modules depend on the JDK only");

    /** A dependency on {@code x.internal..} is allowed from {@code x} and its sub-packages, and from the listed friends. */
    private static ArchCondition<JavaClass> useNoOtherPackagesInternals() {
        return new ArchCondition<>("use no other package's internal sub-package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    String to = d.getTargetClass().getPackageName();
                    String from = origin.getPackageName();
                    int internal = to.indexOf(".internal");
                    if (to.startsWith(ROOT) && internal >= 0 && !from.startsWith(to.substring(0, internal))
                            && !to.equals(FRIENDS.get(from))) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }
}
