package org.llkd.models.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llkd.models.encoder.Pooling;

/**
 * Runs the Java snippet of README.md's "Use your own data" section, exactly: the snippet's try block below is
 * compared line by line with the README's, and executed on a model directory written to {@code out/model} (relative
 * to the working directory, as the snippet says; removed afterwards).
 */
class ReadmeSnippetTest {
  private static Path repoRoot() {
    String p = System.getProperty("llkd.repo.root");
    return p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
  }

  @Test void readmeSnippetIsThisCodeAndRuns() throws IOException {
    String readme = Files.readString(repoRoot().resolve("README.md"));
    int section = readme.indexOf("## Use your own data");
    assertTrue(section >= 0, "README has the section");
    int start = readme.indexOf("```java", section);
    int end = readme.indexOf("```", start + 7);
    List<String> snippet = readme.substring(start + 7, end).strip().lines().toList();
    String me = Files.readString(Path.of("src/test/java/org/llkd/models/classifier/ReadmeSnippetTest.java"));
    for (String line : snippet) {
      if (line.startsWith("import ")) continue;
      assertTrue(me.contains(line.strip()), "the README line '" + line + "' is run by this test");
    }

    Path out = Path.of("out");
    assertFalse(Files.exists(out), "refusing to touch an existing ./out");
    try {
      ModelDirectory.write(Path.of("out/model"), TinyModels.bundle(Pooling.MEAN, 2, 32));
      List<Prediction> result;
      // ---- README snippet, verbatim ----
      try (TextClassifier clf = TextClassifier.load(Path.of("out/model"))) {
        Prediction p = clf.predict("The invoice was charged twice");
        System.out.println(p.label() + " " + p.probabilities());   // label -> probability, every label
        List<Prediction> ps = clf.predict(List.of("Server is down", "Thanks, great support"));
        // ---- end of snippet ----
        result = ps;
        assertTrue(clf.labels().contains(p.label()));
        assertEquals(3, p.probabilities().size());
      }
      assertEquals(2, result.size());
    } finally {
      ModelDirectory.deleteTree(out);
    }
  }
}
