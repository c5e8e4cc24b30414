package org.llkd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.llkd.models.tokenizer.EncodedBatch;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many texts per second does the MiniLM WordPiece tokenizer (DJL HuggingFace tokenizers) encode into a
 * padded batch? Texts are {@code words} words drawn from a fixed mixed list (common words, rare words that
 * split into pieces, numbers, punctuation). One op = one {@code encodeBatch} of {@code batch} texts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xmx1g", "-Dai.djl.offline=true"})
public class TokenizerBench {
  private static final String[] WORDS = ("the a of and to in is was for on with as by that this it from are an "
      + "patients study results randomized trial significantly increased decreased compared baseline cohort "
      + "anticipation disappointment overwhelmed exhilarating frustrating grateful neural transformer "
      + "distillation heteroscedasticity immunohistochemistry phosphorylation 2019 3.5 % , . ; ( ) ! ?").split(" ");

  @Param({"32"}) int batch;
  @Param({"30"}) int words;

  WordPieceTokenizer tokenizer;
  List<String> texts;

  @Setup(Level.Trial)
  public void setUp() {
    tokenizer = WordPieceTokenizer.miniLm();
    SplittableRandom r = new SplittableRandom(5L);
    texts = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      StringBuilder sb = new StringBuilder();
      int n = words / 2 + r.nextInt(words - words / 2 + 1); // [words/2, words]
      for (int w = 0; w < n; w++) sb.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
      texts.add(sb.toString());
    }
  }

  @Benchmark
  public EncodedBatch encodeBatch() {
    return tokenizer.encodeBatch(texts);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tokenizer.close();
  }
}
