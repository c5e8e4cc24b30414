package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.Locale;
import org.llkd.experiments.train.TrainConfig;

/**
 * How big a reproduction is; each tier names one {@link TrainConfig} factory.
 * <ul>
 *   <li>TINY: smoke tests (seconds).</li>
 *   <li>QUICK: the README's first command; a 2-layer student with trained word embeddings on 2,000 rows, full
 *       dev/test (minutes per run on 2 cores).</li>
 *   <li>STANDARD: what every committed table uses: a converged 2-layer student on 4,000 rows, 3 epochs, full dev/test
 *       (docs/tiers.md records the search; its gold run reaches 0.87+ test accuracy on Emotion).</li>
 *   <li>FULL: the paper-scale setting, 6-layer student on the whole train split, 128 tokens (hours).</li>
 * </ul>
 */
public enum Tier {
  TINY, QUICK, STANDARD, FULL;

  /** This tier's base config for {@code dataset} with {@code method} and {@code seed}. */
  public TrainConfig config(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return switch (this) {
      case TINY -> TrainConfig.tiny(dataset, dataRoot, teacherFile, method, seed);
      case QUICK -> TrainConfig.quick(dataset, dataRoot, teacherFile, method, seed);
      case STANDARD -> TrainConfig.standard(dataset, dataRoot, teacherFile, method, seed);
      case FULL -> TrainConfig.full(dataset, dataRoot, teacherFile, method, seed);
    };
  }

  /** Lower-case name as on the command line and in sweep specs. */
  public String id() { return name().toLowerCase(Locale.ROOT); }

  /** The tier named {@code text} (case-insensitive); the error lists the names. */
  public static Tier parse(String text) {
    for (Tier t : values()) if (t.id().equalsIgnoreCase(text)) return t;
    throw new IllegalArgumentException("unknown tier '" + text + "'; expected tiny, quick, standard or full");
  }
}
