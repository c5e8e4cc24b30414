package org.llkd.models.encoder;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences on a (view of a) DOUBLE tensor, compared with an analytic gradient.
 * A coordinate passes when |a - fd| <= REL_TOL * max(|a|, |fd|), or when |a - fd| is below the FD
 * rounding floor 100 ulp(L) / (2 EPS) (about 1e-9 for L of order 10): a true zero gradient (e.g. the
 * key bias, by softmax shift invariance) is only measurable to that floor.
 */
final class GradCheck {
  static final double EPS = 1e-5;
  static final double REL_TOL = 1e-6;
  static final double FLOOR_ULPS = 100;

  private GradCheck() {}

  /**
   * @param analytic gradient with the shape of {@code x}; read before any perturbation
   * @param maxCoords check all coordinates if the tensor has at most this many, else a random subset of this size
   * @return number of coordinates checked
   */
  static int check(String name, INDArray x, INDArray analytic, DoubleSupplier loss, int maxCoords, Random rnd) {
    double[] a = analytic.dup('c').reshape(analytic.length()).toDoubleVector();
    long n = x.length();
    int count = (int) Math.min(n, maxCoords);
    double worst = 0;
    double floor = FLOOR_ULPS * Math.ulp(Math.abs(loss.getAsDouble())) / (2 * EPS);
    for (int j = 0; j < count; j++) {
      long i = n <= maxCoords ? j : (long) (rnd.nextDouble() * n);
      double orig = x.getDouble(i);
      x.putScalar(i, orig + EPS);
      double lp = loss.getAsDouble();
      x.putScalar(i, orig - EPS);
      double lm = loss.getAsDouble();
      x.putScalar(i, orig);
      double fd = (lp - lm) / (2 * EPS);
      double diff = Math.abs(a[(int) i] - fd);
      double scale = Math.max(Math.abs(a[(int) i]), Math.abs(fd));
      if (diff > floor && diff > REL_TOL * scale) {
        fail(name + "[" + i + "]: analytic " + a[(int) i] + " vs finite difference " + fd + ", abs diff " + diff
            + ", relative " + diff / scale + ", floor " + floor);
      }
      worst = Math.max(worst, scale == 0 ? 0 : diff / scale);
    }
    return count;
  }
}
