package dev.trainwatch.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The launcher's {@code InternalApiFenceTest} for the one module built after it: the agent uses no
 * library's {@code impl} or {@code internal} packages at all (its allow-list is empty), so an
 * upgrade cannot break it there.
 */
class AgentInternalApiFenceTest {
  @Test
  void theAgentUsesNoInternalApis() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..impl..", "..internal..")
        .because("a library upgrade may move or drop its internals")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.trainwatch.agent"));
  }
}
