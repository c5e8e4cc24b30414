package org.llkd.experiments.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * No package cycles in any module (models, selection, experiments: the class path of this test holds all three;
 * bench is one package). Run it with {@code -am} so the modules' fresh classes, not ~/.m2 snapshots, are checked. Each package is a slice; ArchUnit reports every cycle with the classes and the member that
 * closes it.
 */
class PackageCyclesTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.llkd");

  @Test
  void scansAllThreeModules() {
    for (String pkg : java.util.List.of("org.llkd.models.encoder", "org.llkd.selection.baselines",
        "org.llkd.experiments.engine")) {
      org.junit.jupiter.api.Assertions.assertTrue(MAIN.containPackage(pkg), "no classes of " + pkg + " imported");
    }
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.llkd.(**)").should().beFreeOfCycles().check(MAIN);
  }
}
