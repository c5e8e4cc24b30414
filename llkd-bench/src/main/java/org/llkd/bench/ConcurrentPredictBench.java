package org.llkd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Does one shared {@link TextClassifier} scale from 1 to 2 calling threads? Before issue 27 every call went through
 * one lock (two threads = one thread's throughput); now each concurrent caller borrows its own student (shared
 * weights, own activation buffers). One op = {@code TextClassifier.probabilities} of {@code batch} texts (tokenize +
 * ND4J forward), the production method itself. Average time per op is per thread: {@code twoThreads} at the
 * {@code oneThread} time means 2x the throughput; at twice that time (what the old lock gave), no gain; scaling =
 * 2 x oneThread / twoThreads. ND4J's own op threads (OMP_NUM_THREADS) compete with the callers:
 * run with OMP_NUM_THREADS=1 to see the callers' scaling alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 3, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=10G", "-Dai.djl.offline=true", "--add-modules=jdk.incubator.vector"})
public class ConcurrentPredictBench {
  @Param({"minilm-l6"}) String model;
  @Param({"2"}) int layers;
  @Param({"32"}) int batch;

  TextClassifier clf;
  List<String> texts;

  @Setup(Level.Trial)
  public void setUp() {
    StudentConfig base = BenchInputs.config(model, 6, 0.0);
    StudentConfig cfg = base.withNumLayers(Math.min(layers, base.numLayers())).withNumClasses(6).withDropout(0.0, 0.0);
    byte[] tok;
    try (WordPieceTokenizer t = WordPieceTokenizer.miniLm()) {
      tok = t.json();
    }
    ModelBundle b = new ModelBundle(cfg, StudentTransformer.initRandom(cfg, 1234L).params(), tok,
        List.of("sadness", "joy", "love", "anger", "fear", "surprise"), 64, Map.of());
    clf = TextClassifier.of(b);
    texts = new ArrayList<>(batch);
    String[] words = "the movie was great and the music brilliant but the plot dragged on for far too long".split(" ");
    for (int i = 0; i < batch; i++) {
      StringBuilder s = new StringBuilder();
      for (int w = 0; w < 8 + (i * 7) % 40; w++) s.append(words[(i + w) % words.length]).append(' ');
      texts.add(s.toString().strip()); // 8..47 words: mixed lengths, padded per batch as in predict
    }
  }

  /** One caller: probabilities [batch][6]. */
  @Benchmark
  @Threads(1)
  public double[][] oneThread() {
    return clf.probabilities(texts);
  }

  /** Two callers on the same classifier: probabilities [batch][6] each. */
  @Benchmark
  @Threads(2)
  public double[][] twoThreads() {
    return clf.probabilities(texts);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    clf.close();
  }
}
