package org.llkd.experiments.sweep;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

/**
 * Arbiter score of a trial: its final dev macro-F1 (maximised). The "model" Arbiter passes is the trial's
 * metrics row (column → value, from metrics.csv), so a finished trial found on disk scores exactly as when it
 * was trained.
 */
public final class DevMacroF1Score implements ScoreFunction {
  private static final long serialVersionUID = 1L;

  /** The metrics.csv column scored. */
  public static final String COLUMN = "dev_macro_f1";

  @Override public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
    return of(model);
  }

  @Override public double score(Object model, Class<? extends DataSource> dataSource, Properties props) {
    return of(model);
  }

  static double of(Object model) {
    if (!(model instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("DevMacroF1Score: expected a trial's metrics map, got "
          + (model == null ? "null" : model.getClass().getName()));
    }
    Object v = m.get(COLUMN);
    if (v == null) throw new IllegalArgumentException("DevMacroF1Score: metrics have no " + COLUMN + " column: " + m.keySet());
    double d = Double.parseDouble(v.toString());
    if (!Double.isFinite(d)) throw new IllegalArgumentException("DevMacroF1Score: " + COLUMN + " = " + v + ", expected finite");
    return d;
  }

  @Override public boolean minimize() {
    return false;
  }

  @Override public List<Class<?>> getSupportedModelTypes() {
    return List.of(Map.class);
  }

  @Override public List<Class<?>> getSupportedDataTypes() {
    return List.of(Object.class);
  }
}
