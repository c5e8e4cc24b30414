package org.llkd.experiments.teacher;

/**
 * The arithmetic of the stand-in teachers on unit-norm embeddings: class prototypes (normalised mean of
 * a class's embeddings), cosine scores ({@code [n, numClasses]}), temperature softmax, and
 * leave-one-out scores of the few shots (each shot scored against prototypes that exclude itself, so a
 * temperature can be fitted on the shots without scoring them against themselves).
 */
public final class Prototypes {
  private Prototypes() {}

  /** Scales {@code v} to unit L2 norm; fails on a zero vector rather than returning NaNs. */
  public static void normaliseInPlace(float[] v) {
    double ss = 0;
    for (float x : v) ss += (double) x * x;
    if (!(ss > 0) || !Double.isFinite(ss)) {
      throw new IllegalArgumentException("cannot L2-normalise a vector with squared norm " + ss);
    }
    double inv = 1.0 / Math.sqrt(ss);
    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * inv);
  }

  /**
   * Class prototypes {@code [numClasses][dim]}: the normalised mean of the rows of {@code emb}
   * ({@code [n][dim]}) with each label. Every class must have at least one row.
   */
  public static float[][] classPrototypes(float[][] emb, int[] labels, int numClasses) {
    if (emb.length != labels.length) {
      throw new IllegalArgumentException(emb.length + " embeddings but " + labels.length + " labels");
    }
    int dim = emb.length == 0 ? 0 : emb[0].length;
    double[][] sum = new double[numClasses][dim];
    int[] count = new int[numClasses];
    for (int i = 0; i < emb.length; i++) {
      int c = labels[i];
      if (c < 0 || c >= numClasses) throw new IllegalArgumentException("label " + c + " at row " + i + " outside [0, " + numClasses + ")");
      count[c]++;
      for (int d = 0; d < dim; d++) sum[c][d] += emb[i][d];
    }
    float[][] protos = new float[numClasses][dim];
    for (int c = 0; c < numClasses; c++) {
      if (count[c] == 0) throw new IllegalArgumentException("class " + c + " has no examples; a prototype needs at least one");
      for (int d = 0; d < dim; d++) protos[c][d] = (float) (sum[c][d] / count[c]);
      normaliseInPlace(protos[c]);
    }
    return protos;
  }

  /** Dot products {@code [n][numClasses]} of unit-norm {@code emb} with unit-norm {@code protos}: cosines. */
  public static double[][] cosine(float[][] emb, float[][] protos) {
    double[][] out = new double[emb.length][protos.length];
    for (int i = 0; i < emb.length; i++) {
      for (int c = 0; c < protos.length; c++) {
        if (emb[i].length != protos[c].length) {
          throw new IllegalArgumentException("embedding dim " + emb[i].length + " vs prototype dim " + protos[c].length);
        }
        double s = 0;
        for (int d = 0; d < emb[i].length; d++) s += (double) emb[i][d] * protos[c][d];
        out[i][c] = s;
      }
    }
    return out;
  }

  /** Row-wise {@code softmax(scores / temperature)}, max-subtracted; {@code [n][numClasses]}. */
  public static double[][] softmax(double[][] scores, double temperature) {
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be a positive finite number, got " + temperature);
    }
    double[][] p = new double[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      double[] s = scores[i];
      double max = Double.NEGATIVE_INFINITY;
      for (double x : s) max = Math.max(max, x);
      double z = 0;
      double[] row = new double[s.length];
      for (int c = 0; c < s.length; c++) {
        row[c] = Math.exp((s[c] - max) / temperature);
        z += row[c];
      }
      for (int c = 0; c < s.length; c++) row[c] /= z;
      p[i] = row;
    }
    return p;
  }

  /**
   * Leave-one-out cosines of the shots {@code [n][numClasses]}: shot i against every class prototype,
   * where the prototype of its own class is the normalised mean of that class's other shots. Needs at
   * least two shots per class.
   */
  public static double[][] leaveOneOutCosine(float[][] emb, int[] labels, int numClasses) {
    int n = emb.length;
    int dim = n == 0 ? 0 : emb[0].length;
    double[][] sum = new double[numClasses][dim];
    int[] count = new int[numClasses];
    for (int i = 0; i < n; i++) {
      count[labels[i]]++;
      for (int d = 0; d < dim; d++) sum[labels[i]][d] += emb[i][d];
    }
    for (int c = 0; c < numClasses; c++) {
      if (count[c] < 2) throw new IllegalArgumentException("class " + c + " has " + count[c] + " shots; leave-one-out needs >= 2");
    }
    float[][] full = new float[numClasses][dim];
    for (int c = 0; c < numClasses; c++) {
      for (int d = 0; d < dim; d++) full[c][d] = (float) sum[c][d];
      normaliseInPlace(full[c]);
    }
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      float[][] protos = full.clone();
      int own = labels[i];
      float[] loo = new float[dim];
      for (int d = 0; d < dim; d++) loo[d] = (float) (sum[own][d] - emb[i][d]);
      normaliseInPlace(loo);
      protos[own] = loo;
      out[i] = cosine(new float[][] {emb[i]}, protos)[0];
    }
    return out;
  }
}
