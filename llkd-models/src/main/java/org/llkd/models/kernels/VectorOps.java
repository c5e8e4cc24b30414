package org.llkd.models.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link FusedOps} as fused FLOAT kernels of the JDK's incubating Vector API ({@code jdk.incubator.vector}): each op
 * is one pass over its buffers (row ops: one row at a time, the row staying in L1 between its two or three sweeps),
 * reading and writing ND4J's native memory through direct {@link ByteBuffer}s, rows split over
 * {@link KernelThreads}. The only class that touches {@code jdk.incubator.vector}; {@link Kernels} loads it by name
 * when the module is in the boot layer, so nothing else needs {@code --add-modules}.
 *
 * <p>JIT notes (JDK 17; each of these made a kernel 3-10x slower by leaving an op out of line, which boxes every
 * vector): a loop-carried vector is never the receiver of an op (write {@code load.add(acc)}, not
 * {@code acc.add(load)}: C2 then sees the exact vector class and inlines the op, else it calls it virtually); constants
 * are static final vectors, not scalar operands (each scalar operand adds a broadcast to the graph, and the GELU
 * kernel ran out of C2's inlining budget, NodeCountInliningCutoff); there is no float-to-int lane conversion (not
 * compiled to SIMD for 16 lanes: {@link #exp(FloatVector)} takes 2^n from the bits of a magic-number sum).
 *
 * <p>Arguments must be FLOAT and contiguous in c order (checked by {@link Kernels#fits}); the ND4J scratch arguments
 * of {@link FusedOps} are ignored.
 *
 * <p><b>Determinism.</b> Every element is computed from its own row (or itself) only, with a fixed operation
 * order: {@link FloatVector} lane-wise add, mul, fma, div, sqrt and compares are IEEE-exact whether the JIT has
 * compiled them to SIMD instructions or the library runs its scalar fallback, and the scalar loops that finish a row
 * whose length is not a multiple of the vector length repeat the lane arithmetic with the same float operations
 * ({@link Math#fma}). Sums over a row keep one partial sum per lane and add the lanes with
 * {@code reduceLanes(ADD)}, whose order the API leaves open: on x86 both C2's intrinsic and the library's fallback
 * add the lanes in lane order (KernelsTest checks that the compiled reduction equals the sequential sum), so the
 * result does not depend on the JIT tier; maxima do not depend on the order at all. exp is the polynomial below, not
 * the library's EXP (whose SVML intrinsic and scalar fallback may round differently). Results are therefore
 * identical run to run and for any thread count; they depend on the vector length ({@link #SPECIES}: AVX-512 sums 16 partial sums, AVX2 8), i.e. on
 * the CPU, like ND4J's own reductions. LayerNorm's gain/bias gradients are summed over fixed blocks of
 * {@link #COLSUM_BLOCK} rows, then over blocks in order, so their order does not depend on the threads either.
 */
final class VectorOps implements FusedOps {
  /** The JVM's preferred float vector (16 lanes with AVX-512, 8 with AVX2). */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
  private static final int FLOAT_BYTES = Float.BYTES;
  /** Rows per block of LayerNorm's column sums (gain and bias gradients). */
  static final int COLSUM_BLOCK = 32;
  /** Fewer elements per part than this run on one thread (a hand-off costs about 10-50 us). */
  private static final int MIN_ELEMENTS_PER_PART = 1 << 15;
  /** Part boundaries of the element-wise kernels: a multiple of any vector length (up to 2048 bits). */
  private static final int ALIGN = 64;

  // exact GELU
  private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
  private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));
  /**
   * erf in float, two pieces (both computed, one chosen per lane), absolute error below 1.3e-7 against a
   * double-precision erf (KernelsTest): for |x| < 1, {@code erf(x) = x P(x^2)} with P of degree 6; for |x| >= 1,
   * {@code erf(x) = 1 - exp(-x^2) R(1/|x|)} with R of degree 9 approximating the scaled complement
   * {@code erfcx(x) = erfc(x) exp(x^2)} (beyond |x| = 9.3 exp underflows to 0 and erf is 1). Coefficients: weighted
   * minimax fits of the relative error (Lawson's iteration, llkd-bench/scripts/fit_erf_float.py; 1.2e-9 for P on
   * [0, 1], 1.5e-8 for R on [1, 4]). Eigen's {@code generic_fast_erf_float} rational, evaluated in float, was off by
   * up to 3.3e-7 near |x| = 4 (too much: a float near 1 resolves 6e-8), and converting lanes to double for it ran 8x
   * slower (JDK 17 does not compile the shape-changing conversions to SIMD).
   */
  private static final float ERF_SPLIT = 1f;
  private static final float ERF_P0 = 1.128379107e+00f, ERF_P1 = -3.761262596e-01f, ERF_P2 = 1.128358543e-01f,
      ERF_P3 = -2.685381100e-02f, ERF_P4 = 5.188326817e-03f, ERF_P5 = -8.010184974e-04f, ERF_P6 = 7.853830175e-05f;
  private static final float ERFCX_R0 = 1.210792252e-04f, ERFCX_R1 = 5.617679358e-01f, ERFCX_R2 = 2.053605765e-02f,
      ERFCX_R3 = -3.758641779e-01f, ERFCX_R4 = 2.303985357e-01f, ERFCX_R5 = 2.383272946e-01f,
      ERFCX_R6 = -5.369404554e-01f, ERFCX_R7 = 4.382339418e-01f, ERFCX_R8 = -1.797100902e-01f,
      ERFCX_R9 = 3.071346320e-02f;

  /**
   * exp(x) = 2^n * p(r), n = round(x / ln2), r = x - n ln2 (ln2 in two parts, Cody-Waite), p the degree-7 Taylor
   * polynomial of Cephes' {@code expf} (relative error below 8.3e-8 on [-87, 0], KernelsTest checks 2 ulp). Inputs below {@link #EXP_MIN}
   * (where expf leaves the normal range) give exactly 0, as the masked attention positions need; inputs above
   * {@link #EXP_MAX} are clamped (the kernels only take exp of values <= 0).
   */
  private static final float EXP_MIN = -87.33654f, EXP_MAX = 88.0f;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
  private static final float EXP_P0 = 1.9875691500e-4f, EXP_P1 = 1.3981999507e-3f, EXP_P2 = 8.3334519073e-3f,
      EXP_P3 = 4.1665795894e-2f, EXP_P4 = 1.6666665459e-1f, EXP_P5 = 5.0000001201e-1f;
  /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude < 2^22 to the nearest integer (ties to even). */
  private static final float ROUND_MAGIC = 12582912f;
  /** The bits of {@link #ROUND_MAGIC}; those of ROUND_MAGIC + n are ROUND_MAGIC_BITS + n for |n| < 2^22. */
  private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
  private static final int FLOAT_EXP_BIAS = 127, FLOAT_MANTISSA_BITS = 23;

  // The constants above as vectors: static final vectors are compile-time constants for C2, where a scalar operand
  // (x.fma(a, b), x.add(1f)) adds a broadcast to the graph of every use. The GELU kernel's graph hit C2's node budget
  // for inlining (NodeCountInliningCutoff) with scalar operands, and ops left out of line box every vector.
  private static final FloatVector V_ZERO = bc(0f), V_ONE = bc(1f), V_HALF = bc(0.5f), V_MINUS_HALF = bc(-0.5f);
  private static final FloatVector V_INV_SQRT2 = bc(INV_SQRT2), V_INV_SQRT_2PI = bc(INV_SQRT_2PI);
  private static final FloatVector V_ERF_SPLIT = bc(ERF_SPLIT);
  private static final FloatVector V_ERF_P0 = bc(ERF_P0), V_ERF_P1 = bc(ERF_P1), V_ERF_P2 = bc(ERF_P2),
      V_ERF_P3 = bc(ERF_P3), V_ERF_P4 = bc(ERF_P4), V_ERF_P5 = bc(ERF_P5), V_ERF_P6 = bc(ERF_P6);
  private static final FloatVector V_ERFCX_R0 = bc(ERFCX_R0), V_ERFCX_R1 = bc(ERFCX_R1), V_ERFCX_R2 = bc(ERFCX_R2),
      V_ERFCX_R3 = bc(ERFCX_R3), V_ERFCX_R4 = bc(ERFCX_R4), V_ERFCX_R5 = bc(ERFCX_R5), V_ERFCX_R6 = bc(ERFCX_R6),
      V_ERFCX_R7 = bc(ERFCX_R7), V_ERFCX_R8 = bc(ERFCX_R8), V_ERFCX_R9 = bc(ERFCX_R9);
  private static final FloatVector V_EXP_MIN = bc(EXP_MIN), V_EXP_MAX = bc(EXP_MAX), V_LOG2E = bc(LOG2E),
      V_ROUND_MAGIC = bc(ROUND_MAGIC), V_LN2_HI = bc(LN2_HI), V_LN2_LO = bc(LN2_LO);
  private static final FloatVector V_EXP_P0 = bc(EXP_P0), V_EXP_P1 = bc(EXP_P1), V_EXP_P2 = bc(EXP_P2),
      V_EXP_P3 = bc(EXP_P3), V_EXP_P4 = bc(EXP_P4), V_EXP_P5 = bc(EXP_P5);
  private static final IntVector V_EXP_BIAS_SHIFT =
      IntVector.broadcast(SPECIES.withLanes(int.class), ROUND_MAGIC_BITS - FLOAT_EXP_BIAS);

  private final KernelThreads pool;

  VectorOps() { this(KernelThreads.configured()); }

  VectorOps(int threads) { this.pool = new KernelThreads(threads); }

  int threads() { return pool.threads(); }

  // ---------------------------------------------------------------------------------------------------------------
  // GELU

  @Override
  public void geluForward(INDArray h, INDArray cdf, INDArray act, boolean keepCdf) {
    int n = length(h);
    sameLength(n, act);
    if (keepCdf) sameLength(n, cdf);
    ByteBuffer hb = buf(h), cb = keepCdf ? buf(cdf) : null, ab = buf(act);
    int ho = base(h), co = keepCdf ? base(cdf) : 0, ao = base(act);
    pool.run(n, MIN_ELEMENTS_PER_PART, ALIGN, (from, to) -> geluForward(hb, ho, cb, co, ab, ao, from, to));
  }

  private static void geluForward(ByteBuffer hb, int ho, ByteBuffer cb, int co, ByteBuffer ab, int ao, int from, int to) {
    int i = from;
    for (int up = from + SPECIES.loopBound(to - from); i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      FloatVector x = FloatVector.fromByteBuffer(SPECIES, hb, ho + off, NATIVE);       // h
      FloatVector phi = erf(x.mul(V_INV_SQRT2)).add(V_ONE).mul(V_HALF);                  // Phi(h)
      if (cb != null) phi.intoByteBuffer(cb, co + off, NATIVE);
      phi.mul(x).intoByteBuffer(ab, ao + off, NATIVE);                                   // h Phi(h)
    }
    for (; i < to; i++) {
      int off = i * FLOAT_BYTES;
      float x = hb.getFloat(ho + off);
      float phi = (erf(x * INV_SQRT2) + 1f) * 0.5f;
      if (cb != null) cb.putFloat(co + off, phi);
      ab.putFloat(ao + off, phi * x);
    }
  }

  @Override
  public void geluBackward(INDArray h, INDArray cdf, INDArray dAct, INDArray scratch) {
    int n = length(h);
    sameLength(n, cdf);
    sameLength(n, dAct);
    ByteBuffer hb = buf(h), cb = buf(cdf), db = buf(dAct);
    int ho = base(h), co = base(cdf), dox = base(dAct);
    pool.run(n, MIN_ELEMENTS_PER_PART, ALIGN, (from, to) -> geluBackward(hb, ho, cb, co, db, dox, from, to));
  }

  private static void geluBackward(ByteBuffer hb, int ho, ByteBuffer cb, int co, ByteBuffer db, int dox, int from, int to) {
    int i = from;
    for (int up = from + SPECIES.loopBound(to - from); i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      FloatVector x = FloatVector.fromByteBuffer(SPECIES, hb, ho + off, NATIVE);              // h
      FloatVector g = exp(x.mul(x).mul(V_MINUS_HALF)).mul(x).mul(V_INV_SQRT_2PI)                 // h phi(h)
          .add(FloatVector.fromByteBuffer(SPECIES, cb, co + off, NATIVE));                       // + Phi(h)
      FloatVector.fromByteBuffer(SPECIES, db, dox + off, NATIVE).mul(g).intoByteBuffer(db, dox + off, NATIVE);
    }
    for (; i < to; i++) {
      int off = i * FLOAT_BYTES;
      float x = hb.getFloat(ho + off);
      float g = exp(x * x * -0.5f) * x * INV_SQRT_2PI + cb.getFloat(co + off);
      db.putFloat(dox + off, db.getFloat(dox + off) * g);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // softmax over the last axis

  @Override
  public void softmaxForward(INDArray scores, INDArray maskBias, INDArray probs) {
    long[] shape = scores.shape(); // [B, nh, T, Tk]
    int rowLen = (int) shape[shape.length - 1];
    int rows = length(scores) / rowLen;
    int batch = (int) shape[0];
    int rowsPerBatch = rows / batch;
    if (maskBias.length() != (long) batch * rowLen) {
      throw new IllegalArgumentException("maskBias: expected [" + batch + ", " + rowLen + "], found "
          + java.util.Arrays.toString(maskBias.shape()));
    }
    sameLength(length(scores), probs);
    ByteBuffer sb = buf(scores), mb = buf(maskBias), pb = buf(probs);
    int so = base(scores), mo = base(maskBias), po = base(probs);
    pool.run(rows, Math.max(1, MIN_ELEMENTS_PER_PART / rowLen), 1, (from, to) -> {
      for (int r = from; r < to; r++) {
        int rowOff = r * rowLen * FLOAT_BYTES;
        softmaxRow(sb, so + rowOff, mb, mo + (r / rowsPerBatch) * rowLen * FLOAT_BYTES, pb, po + rowOff, rowLen);
      }
    });
  }

  /** p = softmax(s + m) over one row of n floats at byte offsets s, m, p; three sweeps (max; exp and sum; scale). */
  private static void softmaxRow(ByteBuffer sb, int s, ByteBuffer mb, int m, ByteBuffer pb, int p, int n) {
    int up = SPECIES.loopBound(n);
    FloatVector vmax = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    int i = 0;
    for (; i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      vmax = FloatVector.fromByteBuffer(SPECIES, sb, s + off, NATIVE)
          .add(FloatVector.fromByteBuffer(SPECIES, mb, m + off, NATIVE)).max(vmax);
    }
    float max = vmax.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) max = Math.max(max, sb.getFloat(s + i * FLOAT_BYTES) + mb.getFloat(m + i * FLOAT_BYTES));

    FloatVector vsum = FloatVector.zero(SPECIES);
    for (i = 0; i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      FloatVector e = exp(FloatVector.fromByteBuffer(SPECIES, sb, s + off, NATIVE)
          .add(FloatVector.fromByteBuffer(SPECIES, mb, m + off, NATIVE)).sub(max));
      e.intoByteBuffer(pb, p + off, NATIVE);
      vsum = e.add(vsum);
    }
    float sum = vsum.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      int off = i * FLOAT_BYTES;
      float e = exp(sb.getFloat(s + off) + mb.getFloat(m + off) - max);
      pb.putFloat(p + off, e);
      sum += e;
    }

    float inv = 1f / sum;
    for (i = 0; i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      FloatVector.fromByteBuffer(SPECIES, pb, p + off, NATIVE).mul(inv).intoByteBuffer(pb, p + off, NATIVE);
    }
    for (; i < n; i++) pb.putFloat(p + i * FLOAT_BYTES, pb.getFloat(p + i * FLOAT_BYTES) * inv);
  }

  @Override
  public void softmaxBackward(INDArray probs, INDArray dP, INDArray scratch, INDArray rowSum) {
    int rowLen = (int) probs.size(probs.rank() - 1);
    int rows = length(probs) / rowLen;
    sameLength(length(probs), dP);
    ByteBuffer pb = buf(probs), db = buf(dP);
    int po = base(probs), dox = base(dP);
    pool.run(rows, Math.max(1, MIN_ELEMENTS_PER_PART / rowLen), 1, (from, to) -> {
      for (int r = from; r < to; r++) {
        int rowOff = r * rowLen * FLOAT_BYTES;
        softmaxBackwardRow(pb, po + rowOff, db, dox + rowOff, rowLen);
      }
    });
  }

  /** d = P (d - sum(d P)) over one row of n floats; two sweeps. */
  private static void softmaxBackwardRow(ByteBuffer pb, int p, ByteBuffer db, int d, int n) {
    int up = SPECIES.loopBound(n);
    FloatVector vdot = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      vdot = FloatVector.fromByteBuffer(SPECIES, db, d + off, NATIVE)
          .fma(FloatVector.fromByteBuffer(SPECIES, pb, p + off, NATIVE), vdot);
    }
    float dot = vdot.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) dot = Math.fma(db.getFloat(d + i * FLOAT_BYTES), pb.getFloat(p + i * FLOAT_BYTES), dot);

    for (i = 0; i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      FloatVector.fromByteBuffer(SPECIES, db, d + off, NATIVE).sub(dot)
          .mul(FloatVector.fromByteBuffer(SPECIES, pb, p + off, NATIVE)).intoByteBuffer(db, d + off, NATIVE);
    }
    for (; i < n; i++) {
      int off = i * FLOAT_BYTES;
      db.putFloat(d + off, (db.getFloat(d + off) - dot) * pb.getFloat(p + off));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // LayerNorm over the last axis

  @Override
  public void layerNormForward(INDArray x, INDArray gain, INDArray bias, double eps, INDArray xhat, INDArray rstd,
      INDArray y, boolean keepCaches, LayerNormScratch s) {
    int hidden = length(gain);
    int rows = length(x) / hidden;
    sameLength(hidden, bias);
    sameLength(length(x), y);
    if (keepCaches) {
      sameLength(length(x), xhat);
      sameLength(rows, rstd);
    }
    ByteBuffer xb = buf(x), gb = buf(gain), bb = buf(bias), yb = buf(y);
    ByteBuffer hb = keepCaches ? buf(xhat) : null, rb = keepCaches ? buf(rstd) : null;
    int xo = base(x), go = base(gain), bo = base(bias), yo = base(y);
    int ho = keepCaches ? base(xhat) : 0, ro = keepCaches ? base(rstd) : 0;
    float epsF = (float) eps;
    pool.run(rows, Math.max(1, MIN_ELEMENTS_PER_PART / hidden), 1, (from, to) -> {
      for (int r = from; r < to; r++) {
        int rowOff = r * hidden * FLOAT_BYTES;
        float rs = layerNormRow(xb, xo + rowOff, gb, go, bb, bo, hb, ho + rowOff, yb, yo + rowOff, hidden, epsF);
        if (rb != null) rb.putFloat(ro + r * FLOAT_BYTES, rs);
      }
    });
  }

  /**
   * One row of n floats: mean, biased variance (two sweeps: sum, then sum of squared deviations), then
   * xhat = (x - mean) rstd (stored when xh != null) and y = g xhat + b; returns rstd. y may alias x.
   */
  private static float layerNormRow(ByteBuffer xb, int x, ByteBuffer gb, int g, ByteBuffer bb, int b, ByteBuffer hb,
      int xh, ByteBuffer yb, int y, int n, float eps) {
    int up = SPECIES.loopBound(n);
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < up; i += LANES) acc = FloatVector.fromByteBuffer(SPECIES, xb, x + i * FLOAT_BYTES, NATIVE).add(acc);
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) sum += xb.getFloat(x + i * FLOAT_BYTES);
    float mean = sum / n;

    acc = FloatVector.zero(SPECIES);
    for (i = 0; i < up; i += LANES) {
      FloatVector d = FloatVector.fromByteBuffer(SPECIES, xb, x + i * FLOAT_BYTES, NATIVE).sub(mean);
      acc = d.fma(d, acc);
    }
    float sq = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float d = xb.getFloat(x + i * FLOAT_BYTES) - mean;
      sq = Math.fma(d, d, sq);
    }
    float rstd = 1f / (float) Math.sqrt(sq / n + eps);

    for (i = 0; i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      FloatVector h = FloatVector.fromByteBuffer(SPECIES, xb, x + off, NATIVE).sub(mean).mul(rstd);
      if (hb != null) h.intoByteBuffer(hb, xh + off, NATIVE);
      h.fma(FloatVector.fromByteBuffer(SPECIES, gb, g + off, NATIVE), FloatVector.fromByteBuffer(SPECIES, bb, b + off, NATIVE))
          .intoByteBuffer(yb, y + off, NATIVE);
    }
    for (; i < n; i++) {
      int off = i * FLOAT_BYTES;
      float h = (xb.getFloat(x + off) - mean) * rstd;
      if (hb != null) hb.putFloat(xh + off, h);
      yb.putFloat(y + off, Math.fma(h, gb.getFloat(g + off), bb.getFloat(b + off)));
    }
    return rstd;
  }

  @Override
  public void layerNormBackward(INDArray dy, INDArray xhat, INDArray rstd, INDArray gain, INDArray gainGrad,
      INDArray biasGrad, INDArray dx, LayerNormScratch s) {
    int hidden = length(gain);
    int rows = length(dy) / hidden;
    sameLength(length(dy), xhat);
    sameLength(length(dy), dx);
    sameLength(rows, rstd);
    sameLength(hidden, gainGrad);
    sameLength(hidden, biasGrad);
    ByteBuffer db = buf(dy), hb = buf(xhat), rb = buf(rstd), gb = buf(gain), xb = buf(dx);
    int dox = base(dy), ho = base(xhat), ro = base(rstd), go = base(gain), xo = base(dx);
    int blocks = (rows + COLSUM_BLOCK - 1) / COLSUM_BLOCK;
    float[] gainParts = new float[blocks * hidden], biasParts = new float[blocks * hidden]; // [blocks, H] each
    pool.run(blocks, Math.max(1, MIN_ELEMENTS_PER_PART / (COLSUM_BLOCK * hidden)), 1, (fromBlock, toBlock) -> {
      for (int blk = fromBlock; blk < toBlock; blk++) {
        int colOff = blk * hidden;
        for (int r = blk * COLSUM_BLOCK, end = Math.min(rows, r + COLSUM_BLOCK); r < end; r++) {
          int rowOff = r * hidden * FLOAT_BYTES;
          layerNormBackwardRow(db, dox + rowOff, hb, ho + rowOff, rb.getFloat(ro + r * FLOAT_BYTES), gb, go,
              xb, xo + rowOff, gainParts, biasParts, colOff, hidden);
        }
      }
    });
    addColumnSums(gainParts, blocks, hidden, buf(gainGrad), base(gainGrad));
    addColumnSums(biasParts, blocks, hidden, buf(biasGrad), base(biasGrad));
  }

  /**
   * One row of n floats: dxhat = dy g; sweep 1 sums dxhat and dxhat xhat (and adds dy xhat, dy into the row block's
   * column sums gp, bp at colOff); sweep 2 writes dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)). dx may
   * alias dy (each element is read before it is written).
   */
  private static void layerNormBackwardRow(ByteBuffer db, int dy, ByteBuffer hb, int xh, float rstd, ByteBuffer gb, int g,
      ByteBuffer xb, int dx, float[] gp, float[] bp, int colOff, int n) {
    int up = SPECIES.loopBound(n);
    FloatVector s1 = FloatVector.zero(SPECIES), s2 = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      FloatVector d = FloatVector.fromByteBuffer(SPECIES, db, dy + off, NATIVE);
      FloatVector h = FloatVector.fromByteBuffer(SPECIES, hb, xh + off, NATIVE);
      FloatVector dh = d.mul(FloatVector.fromByteBuffer(SPECIES, gb, g + off, NATIVE));  // dxhat
      s1 = dh.add(s1);
      s2 = dh.fma(h, s2);
      d.fma(h, FloatVector.fromArray(SPECIES, gp, colOff + i)).intoArray(gp, colOff + i);  // += dy xhat
      d.add(FloatVector.fromArray(SPECIES, bp, colOff + i)).intoArray(bp, colOff + i);     // += dy
    }
    float sum1 = s1.reduceLanes(VectorOperators.ADD), sum2 = s2.reduceLanes(VectorOperators.ADD);
    for (int j = i; j < n; j++) {
      int off = j * FLOAT_BYTES;
      float d = db.getFloat(dy + off), h = hb.getFloat(xh + off);
      float dh = d * gb.getFloat(g + off);
      sum1 += dh;
      sum2 = Math.fma(dh, h, sum2);
      gp[colOff + j] = Math.fma(d, h, gp[colOff + j]);
      bp[colOff + j] = d + bp[colOff + j];
    }
    float m1 = sum1 / n, m2 = sum2 / n;

    for (i = 0; i < up; i += LANES) {
      int off = i * FLOAT_BYTES;
      FloatVector h = FloatVector.fromByteBuffer(SPECIES, hb, xh + off, NATIVE);
      FloatVector dh = FloatVector.fromByteBuffer(SPECIES, db, dy + off, NATIVE)
          .mul(FloatVector.fromByteBuffer(SPECIES, gb, g + off, NATIVE));
      dh.sub(m1).sub(h.mul(m2)).mul(rstd).intoByteBuffer(xb, dx + off, NATIVE);
    }
    for (; i < n; i++) {
      int off = i * FLOAT_BYTES;
      float h = hb.getFloat(xh + off);
      float dh = db.getFloat(dy + off) * gb.getFloat(g + off);
      xb.putFloat(dx + off, (dh - m1 - h * m2) * rstd);
    }
  }

  /** out[j] += sum over blocks (in block order) of parts[blk, j]; out has n floats at byte offset o. */
  private static void addColumnSums(float[] parts, int blocks, int n, ByteBuffer ob, int o) {
    int up = SPECIES.loopBound(n);
    int j = 0;
    for (; j < up; j += LANES) {
      FloatVector acc = FloatVector.zero(SPECIES);
      for (int blk = 0; blk < blocks; blk++) acc = FloatVector.fromArray(SPECIES, parts, blk * n + j).add(acc);
      int off = o + j * FLOAT_BYTES;
      FloatVector.fromByteBuffer(SPECIES, ob, off, NATIVE).add(acc).intoByteBuffer(ob, off, NATIVE);
    }
    for (; j < n; j++) {
      float acc = 0f;
      for (int blk = 0; blk < blocks; blk++) acc += parts[blk * n + j];
      int off = o + j * FLOAT_BYTES;
      ob.putFloat(off, ob.getFloat(off) + acc);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // maths: vector and scalar twins with the same float operations

  /** erf (see {@link #ERF_SPLIT}). */
  static FloatVector erf(FloatVector v) {
    FloatVector a = v.abs();
    FloatVector s = a.mul(a);                                   // x^2
    FloatVector p = s.fma(V_ERF_P6, V_ERF_P5);                  // |x| < 1: |x| P(x^2)
    p = p.fma(s, V_ERF_P4);
    p = p.fma(s, V_ERF_P3);
    p = p.fma(s, V_ERF_P2);
    p = p.fma(s, V_ERF_P1);
    p = p.fma(s, V_ERF_P0).mul(a);
    FloatVector t = V_ONE.div(a);                               // |x| >= 1: 1 - exp(-x^2) R(1/|x|)
    FloatVector r = t.fma(V_ERFCX_R9, V_ERFCX_R8);
    r = r.fma(t, V_ERFCX_R7);
    r = r.fma(t, V_ERFCX_R6);
    r = r.fma(t, V_ERFCX_R5);
    r = r.fma(t, V_ERFCX_R4);
    r = r.fma(t, V_ERFCX_R3);
    r = r.fma(t, V_ERFCX_R2);
    r = r.fma(t, V_ERFCX_R1);
    r = r.fma(t, V_ERFCX_R0);
    FloatVector e = V_ONE.sub(exp(s.neg()).mul(r)).blend(p, a.compare(VectorOperators.LT, V_ERF_SPLIT));
    return e.blend(e.neg(), v.compare(VectorOperators.LT, V_ZERO));
  }

  /** The scalar twin of {@link #erf(FloatVector)}. */
  static float erf(float v) {
    float a = Math.abs(v);
    float s = a * a;
    float e;
    if (a < ERF_SPLIT) {
      float p = Math.fma(s, ERF_P6, ERF_P5);
      p = Math.fma(p, s, ERF_P4);
      p = Math.fma(p, s, ERF_P3);
      p = Math.fma(p, s, ERF_P2);
      p = Math.fma(p, s, ERF_P1);
      e = Math.fma(p, s, ERF_P0) * a;
    } else {
      float t = 1f / a;
      float r = Math.fma(t, ERFCX_R9, ERFCX_R8);
      r = Math.fma(r, t, ERFCX_R7);
      r = Math.fma(r, t, ERFCX_R6);
      r = Math.fma(r, t, ERFCX_R5);
      r = Math.fma(r, t, ERFCX_R4);
      r = Math.fma(r, t, ERFCX_R3);
      r = Math.fma(r, t, ERFCX_R2);
      r = Math.fma(r, t, ERFCX_R1);
      r = Math.fma(r, t, ERFCX_R0);
      e = 1f - exp(-s) * r;
    }
    return v < 0f ? -e : e;
  }

  /** exp (see {@link #EXP_MIN}). */
  static FloatVector exp(FloatVector v) {
    VectorMask<Float> under = v.compare(VectorOperators.LT, V_EXP_MIN); // false for NaN, which stays NaN
    FloatVector x = v.min(V_EXP_MAX);                                  // below EXP_MIN: garbage, blended to 0
    FloatVector shifted = x.fma(V_LOG2E, V_ROUND_MAGIC);              // ROUND_MAGIC + n, n = round(x / ln2)
    FloatVector negN = V_ROUND_MAGIC.sub(shifted);
    FloatVector r = negN.fma(V_LN2_HI, x);                             // x - n ln2_hi
    r = negN.fma(V_LN2_LO, r);                                         //   - n ln2_lo
    FloatVector r2 = r.mul(r);
    FloatVector p = r.fma(V_EXP_P0, V_EXP_P1);
    p = p.fma(r, V_EXP_P2);
    p = p.fma(r, V_EXP_P3);
    p = p.fma(r, V_EXP_P4);
    p = p.fma(r, V_EXP_P5);
    p = p.fma(r2, r).add(V_ONE);                                       // 1 + r + r^2 (P5 + r P4 + ...)
    // 2^n from the bits of ROUND_MAGIC + n (its low mantissa bits hold n; no float-to-int conversion, which JDK 17
    // does not compile to SIMD for 16 lanes)
    FloatVector scale = ((IntVector) shifted.reinterpretAsInts()).sub(V_EXP_BIAS_SHIFT)
        .lanewise(VectorOperators.LSHL, FLOAT_MANTISSA_BITS).reinterpretAsFloats();
    return p.mul(scale).blend(V_ZERO, under);
  }

  /** The scalar twin of {@link #exp(FloatVector)}. */
  static float exp(float v) {
    if (v < EXP_MIN) return 0f;
    float x = Math.min(v, EXP_MAX);
    float shifted = Math.fma(x, LOG2E, ROUND_MAGIC);
    float negN = ROUND_MAGIC - shifted;
    float r = Math.fma(negN, LN2_HI, x);
    r = Math.fma(negN, LN2_LO, r);
    float r2 = r * r;
    float p = Math.fma(r, EXP_P0, EXP_P1);
    p = Math.fma(p, r, EXP_P2);
    p = Math.fma(p, r, EXP_P3);
    p = Math.fma(p, r, EXP_P4);
    p = Math.fma(p, r, EXP_P5);
    p = Math.fma(p, r2, r) + 1f;
    return p * Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - (ROUND_MAGIC_BITS - FLOAT_EXP_BIAS))
        << FLOAT_MANTISSA_BITS);
  }

  private static FloatVector bc(float v) { return FloatVector.broadcast(SPECIES, v); }

  // ---------------------------------------------------------------------------------------------------------------
  // buffers

  /** The whole native buffer of {@code a} as a native-order ByteBuffer; {@link #base} is where {@code a} starts. */
  private static ByteBuffer buf(INDArray a) { return a.data().asNio().order(NATIVE); }

  /** Byte offset of {@code a}'s first element in {@link #buf}. */
  private static int base(INDArray a) { return Math.toIntExact(a.offset() * FLOAT_BYTES); }

  private static int length(INDArray a) { return Math.toIntExact(a.length()); }

  private static void sameLength(long n, INDArray a) {
    if (a.length() != n) {
      throw new IllegalArgumentException("fused kernel: buffer of shape " + java.util.Arrays.toString(a.shape())
          + " has " + a.length() + " elements, expected " + n);
    }
  }
}
