package org.llkd.experiments.sweep;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.selection.LlkdSelector;

/**
 * The hyper-parameters a sweep file may vary (or fix), each named as in the file and mapped onto one
 * {@link TrainConfig} field. Values are {@link Double} (continuous), {@link Integer} (integer),
 * {@link String} (an enum constant's name) or {@link Boolean}, so Arbiter candidates stay
 * {@link Serializable} (DEPENDENCIES.md, pitfall 5).
 */
public enum SweepParameter {
  /** EMA momentum λ of the adaptive thresholds; the tier's default is NaN = auto 1 − 5/steps. */
  MOMENTUM("momentum", "m", Kind.CONTINUOUS),
  /** AdamW peak learning rate (sweep it on a log scale). */
  LEARNING_RATE("learningRate", "lr", Kind.CONTINUOUS),
  /** Training batch size (rows per step before selection). */
  BATCH_SIZE("batchSize", "bs", Kind.INTEGER),
  /** Passes over the training rows. */
  EPOCHS("epochs", "ep", Kind.INTEGER),
  /** LLKD's student-uncertainty measure: ENTROPY, MARGIN, ONE_MINUS_MAXPROB. */
  UNCERTAINTY("uncertainty", "u", Kind.CATEGORICAL),
  /** LLKD's raw weight: CONF_TIMES_UNC, CONF, UNC, UNIFORM. */
  WEIGHT_FORM("weightForm", "w", Kind.CATEGORICAL),
  /** LLKD's class-wise thresholds on/off. */
  CLASS_WISE("classWise", "cw", Kind.BOOLEAN),
  /** Student depth: the first k layers of all-MiniLM-L6-v2 (1..6). */
  KEEP_LAYERS("keepLayers", "L", Kind.INTEGER),
  /** Training rows (a seeded subset; 0 = all). Fixed-only in practice: used to shrink a sweep. */
  TRAIN_ROWS("trainRows", "n", Kind.INTEGER),
  /** Dev/test rows evaluated (0 = all). Fixed-only in practice. */
  EVAL_ROWS("evalRows", "ev", Kind.INTEGER);

  /** How a parameter's values are drawn. */
  public enum Kind { CONTINUOUS, INTEGER, CATEGORICAL, BOOLEAN }

  private final String key;
  private final String shortKey;
  private final Kind kind;

  SweepParameter(String key, String shortKey, Kind kind) {
    this.key = key;
    this.shortKey = shortKey;
    this.kind = kind;
  }

  /** The name used in sweep files and (prefixed {@code p_}) in raw.csv. */
  public String key() {
    return key;
  }

  /** Short tag used in readable trial ids. */
  public String shortKey() {
    return shortKey;
  }

  public Kind kind() {
    return kind;
  }

  /** raw.csv column of this parameter's effective value. */
  public String column() {
    return "p_" + key;
  }

  /** The parameter called {@code key} in a sweep file, or an error listing the known names. */
  public static SweepParameter byKey(String key, String where) {
    for (SweepParameter p : values()) {
      if (p.key.equals(key)) return p;
    }
    List<String> known = new ArrayList<>();
    for (SweepParameter p : values()) known.add(p.key);
    throw new IllegalArgumentException(where + ": unknown parameter '" + key + "'; expected one of "
        + String.join(", ", known));
  }

  /** The allowed names of a categorical parameter (empty for the others). */
  public List<String> categories() {
    return switch (this) {
      case UNCERTAINTY -> Arrays.stream(LlkdSelector.Uncertainty.values()).map(Enum::name).toList();
      case WEIGHT_FORM -> Arrays.stream(LlkdSelector.WeightForm.values()).map(Enum::name).toList();
      default -> List.of();
    };
  }

  /** Why {@code v} is not a valid value, or null if it is (bounds match TrainConfig's checks). */
  public String invalid(Serializable v) {
    return switch (kind) {
      case CONTINUOUS -> {
        if (!(v instanceof Double d) || !Double.isFinite(d)) yield "a finite number";
        if (this == MOMENTUM && !(d >= 0 && d < 1)) yield "in [0, 1)";
        if (this == LEARNING_RATE && !(d > 0 && d < 1)) yield "in (0, 1)";
        yield null;
      }
      case INTEGER -> {
        if (!(v instanceof Integer i)) yield "an integer";
        if (this == KEEP_LAYERS && (i < 1 || i > 6)) yield "1..6 (all-MiniLM-L6-v2 has 6 layers)";
        if ((this == BATCH_SIZE || this == EPOCHS) && i < 1) yield ">= 1";
        if ((this == TRAIN_ROWS || this == EVAL_ROWS) && i < 0) yield ">= 0 (0 = all)";
        yield null;
      }
      case CATEGORICAL -> v instanceof String s && categories().contains(s) ? null
          : "one of " + String.join(", ", categories());
      case BOOLEAN -> v instanceof Boolean ? null : "true or false";
    };
  }

  /** {@code cfg} with this parameter set to {@code v} (already validated by {@link #invalid}). */
  public TrainConfig apply(TrainConfig cfg, Serializable v) {
    return switch (this) {
      case MOMENTUM -> cfg.withSelector(cfg.selector().withMomentum((Double) v));
      case LEARNING_RATE -> cfg.withSchedule(cfg.schedule().withLearningRate((Double) v));
      case BATCH_SIZE -> cfg.withSchedule(cfg.schedule().withBatchSize((Integer) v));
      case EPOCHS -> cfg.withSchedule(cfg.schedule().withEpochs((Integer) v));
      case UNCERTAINTY -> cfg.withLlkd(cfg.llkd().withUncertainty(LlkdSelector.Uncertainty.valueOf((String) v)));
      case WEIGHT_FORM -> cfg.withLlkd(cfg.llkd().withWeightForm(LlkdSelector.WeightForm.valueOf((String) v)));
      case CLASS_WISE -> cfg.withLlkd(cfg.llkd().withClassWise((Boolean) v));
      case KEEP_LAYERS -> cfg.withStudent(cfg.student().withKeepLayers((Integer) v));
      case TRAIN_ROWS -> cfg.withData(cfg.data().withTrainRows((Integer) v));
      case EVAL_ROWS -> cfg.withData(cfg.data().withEvalRows((Integer) v));
    };
  }

  /** This parameter's value in {@code cfg} (momentum may be NaN = auto). */
  public Serializable valueIn(TrainConfig cfg) {
    return switch (this) {
      case MOMENTUM -> cfg.selector().momentum();
      case LEARNING_RATE -> cfg.schedule().learningRate();
      case BATCH_SIZE -> cfg.schedule().batchSize();
      case EPOCHS -> cfg.schedule().epochs();
      case UNCERTAINTY -> cfg.llkd().uncertainty().name();
      case WEIGHT_FORM -> cfg.llkd().weightForm().name();
      case CLASS_WISE -> cfg.llkd().classWise();
      case KEEP_LAYERS -> cfg.student().keepLayers();
      case TRAIN_ROWS -> cfg.data().trainRows();
      case EVAL_ROWS -> cfg.data().evalRows();
    };
  }

  /** A value as written in raw.csv and trial ids ({@code NaN} momentum is written "auto"). */
  public static String format(Serializable v) {
    if (v instanceof Double d) {
      if (Double.isNaN(d)) return "auto";
      if (d == 0) return "0";
      if (Math.abs(d) < 1e-3) { // 1E-5, 3.16228E-4
        String[] parts = String.format(java.util.Locale.ROOT, "%.5e", d).split("e");
        return new BigDecimal(parts[0]).stripTrailingZeros().toPlainString() + "E" + Integer.parseInt(parts[1]);
      }
      return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString(); // 0.99, 64
    }
    return String.valueOf(v);
  }
}
