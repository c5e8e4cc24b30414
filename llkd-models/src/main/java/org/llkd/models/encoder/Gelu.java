package org.llkd.models.encoder;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact (erf) GELU forward: {@code cdf = Phi(h) = (1 + erf(h / sqrt2)) / 2} and {@code act = h * cdf}.
 *
 * <p>FLOAT buffers take one fused pass in Java over the native memory, split over the CPU threads: erf from Eigen's
 * rational approximation ({@code generic_fast_erf_float}: odd degree-13 numerator over even degree-8 denominator,
 * clamped to [-4, 4]) evaluated in double, |error| below 1e-7 against {@code erf}, i.e. exact at float resolution
 * ({@link GeluTest}). Measured here on [4096, 1536] FLOAT with 2 threads: ND4J's {@code Erf} op alone took 40 ms
 * (the whole composed GELU about 55 ms, 7 passes); this pass takes about 10 ms. DOUBLE buffers (the gradient tests)
 * and non-contiguous views use the composed ND4J ops with libnd4j's erf.
 */
final class Gelu {
  private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
  // Eigen generic_fast_erf_float coefficients: numerator (odd powers 1..13), denominator (even powers 0..8)
  private static final double A1 = -1.60960333262415e-02, A3 = -2.95459980854025e-03, A5 = -7.34990630326855e-04,
      A7 = -5.69250639462346e-05, A9 = -2.10102402082508e-06, A11 = 2.77068142495902e-08,
      A13 = -2.72614225801306e-10;
  private static final double B0 = -1.42647390514189e-02, B2 = -7.37332916720468e-03, B4 = -1.68282697438203e-03,
      B6 = -2.13374055278905e-04, B8 = -1.45660718464996e-05;
  private static final int MIN_CHUNK = 1 << 16;
  private static final int THREADS = threads();

  private Gelu() {}

  /** cdf [M, F] = Phi(h), act [M, F] = h * Phi(h); h is not modified. */
  static void forward(INDArray h, INDArray cdf, INDArray act) {
    if (fast(h) && fast(cdf) && fast(act)) {
      forwardFloat(h, cdf, act);
      return;
    }
    cdf.assign(h).muli(INV_SQRT2);   // [M, F] h / sqrt2
    Nd4j.exec(new Erf(cdf, cdf));    // [M, F] erf in place
    cdf.addi(1.0).muli(0.5);         // [M, F] Phi(h)
    act.assign(cdf).muli(h);         // [M, F] gelu
  }

  /** erf(x) by the rational approximation (|x| clamped to 4, where erf is 1 at float resolution). */
  static double erf(double x) {
    double c = Math.max(-4.0, Math.min(4.0, x));
    double x2 = c * c;
    double p = ((((((A13 * x2 + A11) * x2 + A9) * x2 + A7) * x2 + A5) * x2 + A3) * x2 + A1) * c;
    double q = (((B8 * x2 + B6) * x2 + B4) * x2 + B2) * x2 + B0;
    return p / q;
  }

  private static boolean fast(INDArray a) {
    return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.elementWiseStride() == 1;
  }

  private static void forwardFloat(INDArray h, INDArray cdf, INDArray act) {
    int n = (int) h.length();
    FloatBuffer hb = h.data().asNioFloat(), cb = cdf.data().asNioFloat(), ab = act.data().asNioFloat();
    int ho = (int) h.offset(), co = (int) cdf.offset(), ao = (int) act.offset();
    int chunks = Math.max(1, Math.min(THREADS, n / MIN_CHUNK));
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
      for (int i = from; i < to; i++) {
        double x = hb.get(ho + i);
        double phi = 0.5 * (1.0 + erf(x * INV_SQRT2));
        cb.put(co + i, (float) phi);
        ab.put(ao + i, (float) (x * phi));
      }
    });
  }

  /** OMP_NUM_THREADS (what ND4J's own ops use), else the available processors. */
  private static int threads() {
    try {
      String omp = System.getenv("OMP_NUM_THREADS");
      if (omp != null && !omp.isBlank()) return Math.max(1, Integer.parseInt(omp.trim()));
    } catch (NumberFormatException e) {
      // fall through to the processor count
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
