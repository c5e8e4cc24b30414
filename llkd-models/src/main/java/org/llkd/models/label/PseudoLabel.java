package org.llkd.models.label;

/**
 * The pseudo-label rule ŷ = argmax_k p[k] of LLKD (teacher probabilities p [numClasses]), which is also the
 * prediction rule of the student: the index of the largest entry, the <em>first</em> index on ties (numpy's
 * {@code argmax}). Compared with {@code >}, so a NaN entry is never chosen over an earlier entry and a NaN at index 0
 * stays the answer (the readers refuse non-finite probabilities before they get here).
 */
public final class PseudoLabel {
  private PseudoLabel() {}

  /** Index of the largest entry of {@code p} [numClasses]; the first one on ties. */
  public static int argmax(double[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }

  /** {@link #argmax(double[])} of every row of {@code p} [n, numClasses]; returns [n]. */
  public static int[] argmax(double[][] p) {
    int[] y = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      y[i] = argmax(p[i]);
    }
    return y;
  }
}
