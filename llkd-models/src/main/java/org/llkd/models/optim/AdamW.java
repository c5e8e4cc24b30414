package org.llkd.models.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.llkd.models.memory.NativeArrays;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) over the flat
 * buffer of a {@link NamedParams}, with PyTorch's {@code torch.optim.AdamW} update. At 1-based step
 * {@code t} with learning rate {@code lr = schedule(t-1)}:
 * <pre>
 *   g  = g * min(1, maxGradNorm / (||g||_2 + 1e-6))     (global-norm clipping, torch's clip_grad_norm_)
 *   p  = p * (1 - lr * wd * mask)                        (decoupled decay; mask 0 for excluded tensors)
 *   m  = b1 * m + (1 - b1) * g
 *   v  = b2 * v + (1 - b2) * g^2
 *   p  = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * <p>The moments and the update come from libnd4j's fused {@code adam_updater} op (one multi-threaded loop
 * reading g, m, v and writing m, v and the update). That op adds its epsilon to {@code sqrt(v)} before the bias
 * correction ({@code lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v)+eps)}); called with {@code eps*sqrt(1-b2^t)} it is
 * exactly PyTorch's rule above, since {@code m/(sqrt(v)/s + eps) = s*m/(sqrt(v) + eps*s)}. Decay multiplies the
 * decayed tensors' contiguous runs in place. Per step: a norm, the fused op, the decay runs and one {@code axpy}
 * (5 passes over the flat buffer, plus one when clipping; the earlier composition of in-place ops took 16) on
 * buffers allocated once (moments m, v and the update), no parameter-sized allocation per step.
 *
 * <p>Clipping scales {@code grads} in place, like {@code clip_grad_norm_}. A non-finite gradient norm fails
 * the step naming the first non-finite tensor (no silent skip).
 */
public final class AdamW implements AutoCloseable {

  /**
   * Hyperparameters, validated once.
   *
   * @param peakLearningRate    peak of the warm-up/linear-decay schedule, > 0
   * @param beta1               first-moment decay in [0, 1)
   * @param beta2               second-moment decay in [0, 1)
   * @param epsilon             added to the bias-corrected sqrt(v), > 0
   * @param weightDecay         decoupled decay coefficient, >= 0 (multiplied by the learning rate)
   * @param warmupSteps         linear warm-up length, >= 0
   * @param totalSteps          step at which the learning rate reaches 0, > warmupSteps
   * @param maxGradNorm         global L2 clipping threshold, > 0; {@code Double.POSITIVE_INFINITY} disables clipping
   * @param decayBiasAndLayerNorm false for BERT's rule: no decay on {@code *.bias} and {@code *LayerNorm.*}
   */
  public record Config(double peakLearningRate, double beta1, double beta2, double epsilon, double weightDecay,
      int warmupSteps, int totalSteps, double maxGradNorm, boolean decayBiasAndLayerNorm) {
    public Config {
      if (!(peakLearningRate > 0) || Double.isInfinite(peakLearningRate)) {
        throw new IllegalArgumentException("peakLearningRate must be finite and > 0, found " + peakLearningRate);
      }
      if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), found " + beta1);
      if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), found " + beta2);
      if (!(epsilon > 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("epsilon must be finite and > 0, found " + epsilon);
      if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
        throw new IllegalArgumentException("weightDecay must be finite and >= 0, found " + weightDecay);
      }
      if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, found " + warmupSteps);
      if (totalSteps <= warmupSteps) {
        throw new IllegalArgumentException("totalSteps must exceed warmupSteps, found totalSteps " + totalSteps
            + " <= warmupSteps " + warmupSteps);
      }
      if (!(maxGradNorm > 0)) {
        throw new IllegalArgumentException("maxGradNorm must be > 0 (POSITIVE_INFINITY disables clipping), found " + maxGradNorm);
      }
    }

    /** BERT fine-tuning defaults: betas 0.9/0.999, eps 1e-8, clip at 1.0, no decay on biases and LayerNorm. */
    public static Config bert(double peakLearningRate, double weightDecay, int warmupSteps, int totalSteps) {
      return new Config(peakLearningRate, 0.9, 0.999, 1e-8, weightDecay, warmupSteps, totalSteps, 1.0, false);
    }

    public Config withMaxGradNorm(double max) {
      return new Config(peakLearningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, totalSteps, max, decayBiasAndLayerNorm);
    }

    public Config withDecayBiasAndLayerNorm(boolean decay) {
      return new Config(peakLearningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, totalSteps, maxGradNorm, decay);
    }

    /** The learning-rate schedule these values describe. */
    public WarmupLinearDecaySchedule schedule() {
      return new WarmupLinearDecaySchedule(peakLearningRate, warmupSteps, totalSteps);
    }
  }

  /** Optimiser state: completed steps and the moments, each a flat {@code [1, N]} copy in the parameter dtype. */
  public record State(int step, INDArray m, INDArray v) implements AutoCloseable {
    /** Frees the two moment arrays (for a state that owns them, e.g. from {@link AdamW#snapshot}). */
    @Override
    public void close() {
      NativeArrays.close(m);
      NativeArrays.close(v);
    }

    public State {
      if (step < 0) throw new IllegalArgumentException("step must be >= 0, found " + step);
      if (m == null || v == null) throw new IllegalArgumentException("moments must not be null");
      if (m.length() != v.length() || m.dataType() != v.dataType()) {
        throw new IllegalArgumentException("m (" + m.length() + " " + m.dataType() + ") and v (" + v.length() + " "
            + v.dataType() + ") differ");
      }
    }
  }

  /** What one step did: its 0-based index, the learning rate used, the pre-clip global gradient norm. */
  public record StepStats(int iteration, double learningRate, double gradNorm, boolean clipped) {}

  private final Config config;
  private final ISchedule schedule;
  private final List<ParamSpec> specs;
  private final DataType dataType;
  private final INDArray m;          // [1, N] first moment
  private final INDArray v;          // [1, N] second moment
  private final INDArray update;     // [1, N] per-step update from the fused op
  private final long trainableOffset; // scalars of the frozen or lazy prefix, 0 if there is none
  private final LazyRows lazy;        // row-wise (lazy) update of the first tensor, or null
  private final boolean anyDecay;
  private final long[][] decayRuns;  // [start, end) offsets in the trainable region of the decayed tensors, merged
  private int step;                  // completed steps
  private double lastGradNorm = Double.NaN;

  /** An optimiser for parameters laid out like {@code layout}, with {@link Config#schedule()}. */
  public AdamW(Config config, NamedParams layout) {
    this(config, layout, config.schedule());
  }

  /** As above with another learning-rate schedule (indexed by the 0-based step). */
  public AdamW(Config config, NamedParams layout, ISchedule schedule) {
    this(config, layout, schedule, Set.of());
  }

  /**
   * As {@link #AdamW(Config, NamedParams, ISchedule)} with the tensors named in {@code frozen} left
   * untouched (no update, no decay, excluded from the gradient norm). Frozen tensors must form a prefix
   * of the layout (e.g. {@code embeddings.word_embeddings.weight}, the first tensor of the student), so
   * the update runs on one contiguous view of the flat buffers. Freezing the 11.7M-parameter word
   * embeddings of a 2-layer MiniLM student cut the AdamW step from about 275 to about 75 ms here.
   */
  public AdamW(Config config, NamedParams layout, ISchedule schedule, Set<String> frozen) {
    this(config, layout, schedule, frozen, null);
  }

  /**
   * As {@link #AdamW(Config, NamedParams, ISchedule, Set)}, and with the rows of the 2-D tensor {@code lazyRows}
   * (null: none; it must be the first tensor of the layout and not frozen, e.g. the 30,522 x 384 word-embedding table)
   * updated lazily: {@link #step(NamedParams, NamedParams, int[])} updates only the rows the caller names as touched
   * (moments, decay and parameters; the bias correction uses the global step), like TensorFlow Addons' LazyAdam and
   * {@code torch.optim.SparseAdam}. On the touched rows this equals the dense update exactly when the untouched rows
   * have zero gradient (a batch's embedding backward writes only its token ids' rows); an untouched row is left
   * as it is, where dense AdamW would still move it by its decaying first moment and decay it. For a 2-layer MiniLM
   * student this skips 11.7M of 15.5M parameters per step (see docs/performance.md).
   */
  public AdamW(Config config, NamedParams layout, ISchedule schedule, Set<String> frozen, String lazyRows) {
    if (lazyRows != null && !frozen.isEmpty()) {
      throw new IllegalArgumentException("lazy rows (" + lazyRows + ") and frozen tensors " + frozen
          + " cannot be combined");
    }
    this.lazy = lazyRows == null ? null : LazyRows.of(layout, lazyRows);
    this.trainableOffset = lazy != null ? lazy.length() : frozenPrefixLength(layout, frozen);
    this.config = config;
    this.schedule = schedule;
    this.specs = layout.specs();
    this.dataType = layout.dataType();
    if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
      throw new IllegalArgumentException("AdamW supports FLOAT and DOUBLE parameters, found " + dataType);
    }
    List<long[]> runs = new ArrayList<>();
    long offset = 0;
    for (ParamSpec s : specs) {
      long start = offset - trainableOffset, end = start + s.length();
      offset += s.length();
      if (!decays(s.name(), config.decayBiasAndLayerNorm()) || end <= 0) continue;
      if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == start) runs.get(runs.size() - 1)[1] = end;
      else runs.add(new long[] {start, end});
    }
    this.decayRuns = runs.toArray(long[][]::new);
    this.anyDecay = decayRuns.length > 0 && config.weightDecay() > 0;
    this.m = layout.zerosLike().flat();
    this.v = layout.zerosLike().flat();
    this.update = layout.zerosLike().flat();
    this.lazyDecays = lazy != null && decays(lazy.name(), config.decayBiasAndLayerNorm()) && config.weightDecay() > 0;
  }

  private final boolean lazyDecays;  // the lazy tensor gets weight decay (on its touched rows)

  /** The trainable part {@code [offset, N)} of a flat [1, N] buffer, as a view. */
  private INDArray trainable(INDArray flat) {
    if (trainableOffset == 0) return flat;
    return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(trainableOffset, flat.length())).reshape(1, -1);
  }

  /** Number of scalars in the frozen prefix; fails if {@code frozen} names unknown or non-prefix tensors. */
  static long frozenPrefixLength(NamedParams layout, Set<String> frozen) {
    for (String f : frozen) {
      if (!layout.contains(f)) throw new IllegalArgumentException("cannot freeze unknown parameter '" + f + "'");
    }
    long offset = 0;
    int seen = 0;
    for (ParamSpec s : layout.specs()) {
      if (!frozen.contains(s.name())) break;
      offset += s.length();
      seen++;
    }
    if (seen != frozen.size()) {
      throw new IllegalArgumentException("frozen parameters " + frozen + " must be the first tensors of the layout "
          + "(in order " + layout.names().subList(0, Math.min(frozen.size() + 1, layout.names().size())) + ")");
    }
    return offset;
  }

  /** Number of leading scalars of the flat buffer that this optimiser never updates (0 when the prefix is lazy). */
  public long frozenPrefix() { return lazy != null ? 0 : trainableOffset; }

  /** The tensor updated row-wise, or null. */
  public String lazyTensor() { return lazy == null ? null : lazy.name(); }

  /**
   * Whether a tensor gets weight decay: always if {@code decayBiasAndLayerNorm}, else not for names ending
   * in {@code .bias} or containing {@code LayerNorm.} (HF's {@code no_decay = ["bias", "LayerNorm.weight"]}).
   */
  public static boolean decays(String name, boolean decayBiasAndLayerNorm) {
    if (decayBiasAndLayerNorm) return true;
    return !(name.endsWith(".bias") || name.contains("LayerNorm."));
  }

  /**
   * One AdamW update of {@code params.flat()} in place from {@code grads.flat()} (clipped in place).
   *
   * @return the step's index, learning rate and pre-clip gradient norm
   */
  public StepStats step(NamedParams params, NamedParams grads) {
    if (lazy != null) {
      throw new IllegalStateException("this optimiser updates " + lazy.name() + " lazily: call step(params, grads,"
          + " touchedRows) with the rows the batch touched");
    }
    return step(params, grads, null);
  }

  /**
   * One AdamW update as {@link #step(NamedParams, NamedParams)}, where the lazy tensor (see the constructor) is
   * updated on {@code touchedRows} only (distinct row indices; its other rows must have zero gradient).
   */
  public StepStats step(NamedParams params, NamedParams grads, int[] touchedRows) {
    checkLayout("params", params);
    checkLayout("grads", grads);
    if (lazy == null && touchedRows != null) {
      throw new IllegalArgumentException("touched rows given, but this optimiser has no lazy tensor");
    }
    if (lazy != null && touchedRows == null) throw new IllegalArgumentException("lazy update needs touched rows");
    // the touched rows of the lazy tensor, gathered (null: no lazy tensor, or no row touched)
    LazyRows.Bound rows = lazy == null || touchedRows.length == 0 ? null
        : lazy.bind(touchedRows, params, grads, this.m, this.v);
    INDArray p = trainable(params.flat()); // [1, N - frozen]
    INDArray g = trainable(grads.flat());  // [1, N - frozen]
    INDArray m = trainable(this.m);
    INDArray v = trainable(this.v);
    INDArray update = trainable(this.update);
    int iteration = step;
    double lr = schedule.valueAt(iteration, 0);

    double norm = l2Norm(g);
    if (rows != null) norm = Math.hypot(norm, l2Norm(rows.g())); // untouched rows are 0
    if (!Double.isFinite(norm)) throw new IllegalStateException("step " + iteration + ": gradient norm is " + norm
        + "; first non-finite tensor: " + firstNonFinite(grads));
    lastGradNorm = norm;
    double coef = Math.min(1.0, config.maxGradNorm() / (norm + 1e-6));
    boolean clipped = coef < 1.0;
    if (clipped) {
      g.muli(coef);
      if (rows != null) rows.g().muli(coef);
    }

    if (anyDecay && lr > 0) {
      double keep = 1 - lr * config.weightDecay();        // p *= 1 - lr * wd, decayed tensors only
      for (long[] r : decayRuns) {
        p.get(NDArrayIndex.point(0), NDArrayIndex.interval(r[0], r[1])).muli(keep);
      }
      if (rows != null && lazyDecays) rows.p().muli(keep);
    }
    int t = iteration + 1;
    double bc2Sqrt = Math.sqrt(1 - Math.pow(config.beta2(), t));
    // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  update = lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps sqrt(1-b2^t))
    Nd4j.exec(new AdamUpdater(g, v, m, update, v, m, lr, config.beta1(), config.beta2(), config.epsilon() * bc2Sqrt,
        iteration));
    // libnd4j replaces a zero step size by eps (its guard against lr*sqrt(..) underflow): at lr = 0 the moments move
    // and the parameters must not, as in torch
    if (lr > 0) Nd4j.getBlasWrapper().level1().axpy(p.length(), -1.0, update, p); // p -= update
    if (rows != null) {
      // the same rule on the gathered rows [k, H]: moments and update in place, then p, m, v scattered back
      Nd4j.exec(new AdamUpdater(rows.g(), rows.v(), rows.m(), rows.u(), rows.v(), rows.m(), lr, config.beta1(),
          config.beta2(), config.epsilon() * bc2Sqrt, iteration));
      if (lr > 0) rows.p().subi(rows.u());
      rows.scatterBack();
    }
    step = t;
    return new StepStats(iteration, lr, norm, clipped);
  }

  /**
   * ||x||_2 by BLAS {@code nrm2} (one thread, accurate), not libnd4j's {@code norm2}: over the 3.8M trainable
   * float32 gradients of a 2-layer student, {@code norm2Number()} was off by -0.20% at 1 thread and -0.07% at 2
   * threads against a double sum (so the clipping scale depended on the thread count), while {@code nrm2} was within
   * 5e-8 at both and took 1.1-1.5 ms instead of 20 ms (measured on the 2-core dev machine, loaded).
   */
  private static double l2Norm(INDArray x) {
    return Nd4j.getBlasWrapper().level1().nrm2(x);
  }

  private void checkLayout(String what, NamedParams x) {
    if (x.dataType() != dataType) {
      throw new IllegalArgumentException(what + " are " + x.dataType() + ", the optimiser was built for " + dataType);
    }
    if (x.specs() != specs && !x.specs().equals(specs)) {
      List<ParamSpec> other = x.specs();
      for (int i = 0; i < Math.max(other.size(), specs.size()); i++) {
        ParamSpec a = i < specs.size() ? specs.get(i) : null;
        ParamSpec b = i < other.size() ? other.get(i) : null;
        if (a == null || !a.equals(b)) {
          throw new IllegalArgumentException(what + " layout differs from the optimiser's at tensor " + i + ": expected "
              + a + ", found " + b);
        }
      }
    }
  }

  private static String firstNonFinite(NamedParams grads) {
    for (String n : grads.names()) {
      INDArray t = grads.get(n);
      if (t.isInfinite().any() || t.isNaN().any()) return n;
    }
    return "(none found per tensor)";
  }

  /** Number of completed steps; the next step uses {@code schedule(iteration())}. */
  public int iteration() { return step; }

  /** Learning rate the next {@link #step} will use. */
  public double currentLearningRate() { return schedule.valueAt(step, 0); }

  /** Global L2 norm of the gradients before clipping, at the last step (NaN before the first). */
  public double lastGradNorm() { return lastGradNorm; }

  public Config config() { return config; }

  public ISchedule schedule() { return schedule; }

  /** A copy of the per-element decay mask {@code [1, N]} (1 = decayed). */
  public INDArray decayMask() {
    NamedParams mask = new NamedParams(specs, dataType); // built on request: the step uses decayRuns
    for (ParamSpec s : specs) if (decays(s.name(), config.decayBiasAndLayerNorm())) mask.get(s.name()).assign(1.0);
    return mask.flat();
  }

  /**
   * A copy of the state (moments and step count), outside any workspace; the caller owns the two arrays (2 x 62 MB
   * for a 2-layer MiniLM student) and frees them with {@link State#close}.
   */
  public State snapshot() { return new State(step, NativeArrays.detachedCopy(m), NativeArrays.detachedCopy(v)); }

  /** Frees the moments, the update buffer and the lazy rows' buffers; the optimiser is unusable afterwards. */
  @Override
  public void close() {
    NativeArrays.close(m);
    NativeArrays.close(v);
    NativeArrays.close(update);
    if (lazy != null) lazy.close();
  }

  /** Replaces the state with {@code s}; fails if its size or dtype does not match this layout. */
  public void restore(State s) {
    if (s.m().length() != m.length() || s.m().dataType() != dataType) {
      throw new IllegalArgumentException("optimiser state has " + s.m().length() + " " + s.m().dataType()
          + " values per moment, expected " + m.length() + " " + dataType + " for layout " + describe());
    }
    m.assign(s.m().reshape(m.shape()));
    v.assign(s.v().reshape(v.shape()));
    step = s.step();
    lastGradNorm = Double.NaN;
  }

  private String describe() {
    return specs.size() + " tensors " + (specs.isEmpty() ? "" : Arrays.asList(specs.get(0), "...", specs.get(specs.size() - 1)));
  }
}
