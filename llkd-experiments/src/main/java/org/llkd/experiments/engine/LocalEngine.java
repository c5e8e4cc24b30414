package org.llkd.experiments.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.train.Trainer;

/** The runs one after another in this JVM, in spec order: {@link RunGrid#runAll}. */
public final class LocalEngine implements RunEngine {
  private final boolean keepModels;

  public LocalEngine() {
    this(false);
  }

  /** @param keepModels leave each finished run's {@code model/} directory ({@code --keep-models}) */
  public LocalEngine(boolean keepModels) {
    this.keepModels = keepModels;
  }

  @Override public String name() { return "local"; }

  @Override public List<RunGrid.Outcome> runAll(Path expDir, List<RunGrid.Spec> specs, boolean resume) {
    return RunGrid.runAll(expDir, specs, resume, keepModels);
  }

  @Override public Trainer.Launcher launcher() {
    return keepModels ? Trainer.Launcher.KEEPING_MODELS : Trainer.Launcher.LOCAL;
  }

  @Override public Map<String, Object> describe() { return Map.of("engine", "local", "keepModels", keepModels); }

  @Override public void close() {}
}
