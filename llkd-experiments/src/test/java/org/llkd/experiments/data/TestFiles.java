package org.llkd.experiments.data;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shipped {@code data/} folder and the format fixtures for tests. */
final class TestFiles {
  private TestFiles() {}

  /** {@code <repo>/data}: from the {@code llkd.repo.root} property that surefire sets, else by walking up. */
  static Path dataRoot() {
    String root = System.getProperty("llkd.repo.root");
    if (root != null && Files.isRegularFile(Path.of(root, "data", "MANIFEST.md"))) {
      return Path.of(root, "data");
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("data").resolve("MANIFEST.md"))) {
        return p.resolve("data");
      }
    }
    throw new IllegalStateException("data/MANIFEST.md not found above " + Path.of("").toAbsolutePath());
  }

  /** A file under {@code src/test/resources/formats/}. */
  static Path fixture(String name) {
    URL url = TestFiles.class.getResource("/formats/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test resource formats/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
