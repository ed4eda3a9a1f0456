package org.totalrecall;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of ARCHITECTURE.md and STYLE.md, checked on the compiled main classes:
 * dependencies run one way (data → linalg → model → {sampler, loss} → train, and {linalg, model} →
 * retrieval → {eval, ann}), the packages are free of cycles, only {@code simd} touches the
 * incubating Vector API (everything else reaches it through {@code linalg.VectorOps}, which loads
 * the Panama kernels reflectively), and only {@code ann} touches Lucene (everything else sees its
 * HNSW as a {@code retrieval.Retriever}).
 */
class ArchitectureTest {
  private static final String ROOT = "org.totalrecall";

  /** Each package and the internal packages it may use (besides itself and the JDK). */
  private static final Map<String, List<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("util", List.of()),
          Map.entry("data", List.of("util")),
          Map.entry("linalg", List.of("util")),
          Map.entry("simd", List.of("linalg", "util")),
          Map.entry("model", List.of("data", "linalg", "util")),
          Map.entry("loss", List.of("linalg", "util")),
          Map.entry("sampler", List.of("data", "linalg", "model", "util")),
          Map.entry("train", List.of("data", "linalg", "model", "loss", "sampler", "util")),
          Map.entry("retrieval", List.of("data", "linalg", "model", "util")),
          Map.entry("eval", List.of("data", "linalg", "model", "retrieval", "util")),
          Map.entry("ann", List.of("data", "linalg", "model", "retrieval", "util")),
          Map.entry("io", List.of("data", "linalg", "model", "util")));

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void everyPackageIsListed() {
    // guards against a vacuous pass: the importer must have read the compiled main classes
    if (!classes.contain("org.totalrecall.train.Trainer")
        || !classes.contain("org.totalrecall.simd.PanamaVectorOps")) {
      throw new AssertionError(
          "the class importer did not find the main classes (" + classes.size() + " imported)");
    }
    for (var c : classes) {
      String pkg = c.getPackageName();
      if (pkg.equals(ROOT)) {
        continue;
      }
      String top = pkg.substring(ROOT.length() + 1).split("\\.", -1)[0];
      if (!ALLOWED.containsKey(top)) {
        throw new AssertionError(
            "package "
                + pkg
                + " (class "
                + c.getName()
                + ") is not in ArchitectureTest.ALLOWED:"
                + " add it with the packages it may use");
      }
    }
  }

  @Test
  void dependenciesRunOneWay() {
    for (var entry : ALLOWED.entrySet()) {
      String pkg = entry.getKey();
      List<String> forbidden =
          ALLOWED.keySet().stream()
              .filter(other -> !other.equals(pkg) && !entry.getValue().contains(other))
              .map(other -> ROOT + "." + other + "..")
              .toList();
      if (forbidden.isEmpty()) {
        continue;
      }
      noClasses()
          .that()
          .resideInAPackage(ROOT + "." + pkg + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(forbidden.toArray(String[]::new))
          .because(pkg + " may use only " + entry.getValue())
          .check(classes);
    }
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlySimdUsesTheVectorApi() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".simd..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("jdk.incubator.vector..")
        .because("SIMD code lives behind linalg.VectorOps")
        .check(classes);
  }

  @Test
  void onlyAnnUsesLucene() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".ann..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.lucene..")
        .because("the HNSW library stays behind retrieval.Retriever")
        .check(classes);
  }

  @Test
  void onlyDataReadsParquet() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".data..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.hardwood..")
        .because("Parquet is one more input layout behind data.DataLoader")
        .check(classes);
  }
}
