package org.llkd.experiments.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The runs one after another in this JVM, in spec order: {@link RunGrid#runAll}. */
public final class LocalEngine implements RunEngine {
  @Override public String name() { return "local"; }

  @Override public List<RunGrid.Outcome> runAll(Path expDir, List<RunGrid.Spec> specs, boolean resume) {
    return RunGrid.runAll(expDir, specs, resume);
  }

  @Override public Map<String, Object> describe() { return Map.of("engine", "local"); }

  @Override public void close() {}
}
