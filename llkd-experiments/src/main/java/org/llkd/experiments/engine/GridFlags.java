package org.llkd.experiments.engine;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags that {@code llkd run <Name>} and {@code llkd sweep} (and their IDE entry points) share, as one picocli
 * mixin: where the inputs are ({@code --data-root}, {@code --teachers-root}), whether a dirty tree may write results
 * ({@code --allow-dirty}), which engine runs the grid ({@code --engine}, {@code --master}: {@link EngineFlags}) and
 * whether it keeps the trained models ({@code --keep-models}).
 */
public final class GridFlags {
  @Option(names = "--data-root", description = "datasets directory (default <repo>/data)")
  Path dataRoot;

  @Option(names = "--teachers-root", description = "teacher files directory (default <repo>/teachers)")
  Path teachersRoot;

  @Option(names = "--allow-dirty", description = "write into <repo>/results even from a git tree with modified "
      + "tracked files or a build of another commit (refused otherwise); the runs (sweep trials) record dirty and the "
      + "tables say so")
  boolean allowDirty;

  @Mixin
  EngineFlags engineFlags = new EngineFlags();

  @Option(names = "--keep-models", description = "leave each finished run's (sweep trial's) trained student as "
      + "<run>/model (docs/model-format.md; loadable by llkd predict/evaluate/export and TextClassifier.load); "
      + "default: deleted to save disk. Local engine only")
  boolean keepModels;

  /** {@code --data-root}, else {@code <repoRoot>/data}. */
  public Path dataRoot(Path repoRoot) {
    return dataRoot != null ? dataRoot : repoRoot.resolve("data");
  }

  /** {@code --teachers-root}, else {@code <repoRoot>/teachers}. */
  public Path teachersRoot(Path repoRoot) {
    return teachersRoot != null ? teachersRoot : repoRoot.resolve("teachers");
  }

  /** {@code --allow-dirty}. */
  public boolean allowDirty() {
    return allowDirty;
  }

  /** The validated engine options, with {@code --keep-models}. */
  public EngineOptions engineOptions() {
    return engineFlags.options().withKeepModels(keepModels);
  }
}
