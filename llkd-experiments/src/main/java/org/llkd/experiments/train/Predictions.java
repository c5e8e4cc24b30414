package org.llkd.experiments.train;

import java.util.Locale;
import java.util.function.IntPredicate;
import org.llkd.experiments.data.TextDataset;
import org.llkd.models.io.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-row student predictions (for calibration and the uncertainty figure) and accuracy on all rows vs
 * on the rows the selector ever chose.
 */
public final class Predictions {
  private Predictions() {}

  /** Writes {@code id,gold,pred,confidence,uncertainty} per row; uncertainty = entropy / log C. */
  public static void write(java.nio.file.Path file, TextDataset ds, int[] rows, INDArray probs) {
    double[][] p = probs.toDoubleMatrix();
    int c = p.length == 0 ? 1 : p[0].length;
    StringBuilder sb = new StringBuilder("id,gold,pred,confidence,uncertainty\n");
    for (int i = 0; i < rows.length; i++) {
      int pred = TrainingData.argmax(p[i]);
      sb.append(ds.get(rows[i]).id()).append(',').append(ds.get(rows[i]).label()).append(',').append(pred).append(',')
          .append(String.format(Locale.ROOT, "%.6f,%.6f", p[i][pred], normalisedEntropy(p[i], c))).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  /**
   * Writes every row's probabilities as gzip-compressed CSV {@code id,gold,<label 0>,<label 1>,...} (9 significant
   * digits), atomically: the file appears whole or not at all.
   */
  public static void writeProbabilities(java.nio.file.Path file, TextDataset ds, int[] rows, INDArray probs) {
    double[][] p = probs.toDoubleMatrix(); // [N, C]
    StringBuilder sb = new StringBuilder("id,gold");
    for (String name : ds.labels().names()) sb.append(',').append(name);
    sb.append('\n');
    for (int i = 0; i < rows.length; i++) {
      sb.append(ds.get(rows[i]).id()).append(',').append(ds.get(rows[i]).label());
      for (double v : p[i]) sb.append(',').append(String.format(Locale.ROOT, "%.9g", v));
      sb.append('\n');
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot compress " + file, e);
    }
    AtomicFiles.write(file, out -> out.write(bytes.toByteArray()));
  }

  /** H(p) / log C ∈ [0, 1]. */
  public static double normalisedEntropy(double[] p, int c) {
    double h = 0;
    for (double v : p) if (v > 0) h -= v * Math.log(v);
    return h / Math.log(c);
  }

  /** {accuracy on all rows, accuracy on rows where {@code selected} holds (NaN if none)}. */
  public static double[] accuracyAllVsSelected(INDArray probs, int[] gold, IntPredicate selected) {
    double[][] p = probs.toDoubleMatrix();
    int okAll = 0, okSel = 0, nSel = 0;
    for (int i = 0; i < gold.length; i++) {
      boolean ok = TrainingData.argmax(p[i]) == gold[i];
      if (ok) okAll++;
      if (selected.test(i)) {
        nSel++;
        if (ok) okSel++;
      }
    }
    return new double[] {okAll / (double) gold.length, nSel == 0 ? Double.NaN : okSel / (double) nSel};
  }
}
