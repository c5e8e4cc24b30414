package org.llkd.models.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.tokenizer.EncodedBatch;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The TextClassifier API: agrees with the student it wraps, keeps order, truncates, and runs concurrent callers in parallel. */
class TextClassifierTest {
  @TempDir static Path tmp;
  private static ModelBundle bundle;
  private static TextClassifier clf;

  @BeforeAll static void load() {
    bundle = TinyModels.bundle(Pooling.MEAN, 5, 24);
    ModelDirectory.write(tmp.resolve("model"), bundle);
    clf = TextClassifier.load(tmp.resolve("model"));
  }

  @AfterAll static void close() { clf.close(); }

  @Test void agreesWithTheStudentForward() {
    List<String> texts = TinyModels.texts(5);
    EncodedBatch enc = clf.tokenizer().encodeBatch(texts);
    StudentTransformer m = new StudentTransformer(bundle.config(), bundle.params());
    INDArray logits = m.forwardLogits(enc.inputIdsArray(), enc.attentionMaskArray(), null); // [5, 3]
    List<Prediction> ps = clf.predict(texts);
    for (int i = 0; i < texts.size(); i++) {
      double[] z = logits.getRow(i).toDoubleVector();
      double max = Math.max(z[0], Math.max(z[1], z[2]));
      double s = 0;
      for (double v : z) s += Math.exp(v - max);
      for (int c = 0; c < 3; c++) {
        double expected = Math.exp(z[c] - max) / s;
        assertEquals(expected, ps.get(i).probabilities().get(bundle.labels().get(c)), 1e-6);
      }
      int best = 0;
      for (int c = 1; c < 3; c++) if (z[c] > z[best]) best = c;
      assertEquals(bundle.labels().get(best), ps.get(i).label());
    }
  }

  @Test void listKeepsOrderAcrossBatchesAndMatchesSinglePredictions() {
    List<String> texts = TinyModels.texts(70); // 3 batches of 32
    List<Prediction> ps = clf.predict(texts);
    assertEquals(70, ps.size());
    java.util.Set<String> labelsSeen = new java.util.HashSet<>();
    for (int i = 0; i < texts.size(); i += 7) {
      Prediction one = clf.predict(texts.get(i));
      assertEquals(one.label(), ps.get(i).label());
      for (String l : clf.labels()) assertEquals(one.probabilities().get(l), ps.get(i).probabilities().get(l), 1e-5);
    }
    for (Prediction p : ps) {
      labelsSeen.add(p.label());
      assertEquals(1.0, p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
      assertEquals(List.copyOf(p.probabilities().keySet()), clf.labels());
    }
    assertTrue(labelsSeen.size() >= 2, "the fixture should predict more than one label: " + labelsSeen);
  }

  @Test void emptyListGivesEmptyList() {
    assertEquals(List.of(), clf.predict(List.of()));
  }

  @Test void hundredThousandCharactersAreTruncatedNotACrash() {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 100_000) sb.append("the movie was great and the music brilliant ");
    String longText = sb.toString();
    Prediction p = clf.predict(longText);
    // truncation keeps the first maxLength - 2 word pieces: the same as a text cut well past that point
    Prediction q = clf.predict(longText.substring(0, 2_000));
    assertEquals(q.label(), p.label());
    for (String l : clf.labels()) assertEquals(q.probabilities().get(l), p.probabilities().get(l), 1e-6);
    assertEquals(24, clf.tokenizer().encode(longText).length);
  }

  @Test void concurrentCallersGetTheSequentialAnswers() throws Exception {
    List<String> texts = TinyModels.texts(40);
    double[][] expected = clf.probabilities(texts);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<double[][]>> fs = new ArrayList<>();
      for (int k = 0; k < 12; k++) {
        int shift = k;
        fs.add(pool.submit(() -> {
          // each caller sends the texts in its own rotation and batch split, so batches of different shapes interleave
          List<String> rotated = new ArrayList<>(texts.subList(shift, texts.size()));
          rotated.addAll(texts.subList(0, shift));
          double[][] got = new double[texts.size()][];
          for (int i = 0; i < rotated.size(); i += 1 + shift) {
            List<String> part = rotated.subList(i, Math.min(rotated.size(), i + 1 + shift));
            double[][] p = clf.probabilities(part);
            for (int j = 0; j < p.length; j++) got[(i + j + shift) % texts.size()] = p[j];
          }
          return got;
        }));
      }
      for (Future<double[][]> f : fs) {
        double[][] got = f.get();
        for (int i = 0; i < texts.size(); i++) {
          for (int c = 0; c < 3; c++) assertEquals(expected[i][c], got[i][c], 1e-5, "text " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A runtime that waits inside its forward until {@code parties} callers are inside theirs (a global lock never lets them). */
  private static InferenceRuntime meetingRuntime(ModelBundle b, CyclicBarrier barrier) {
    InferenceRuntime inner = TextClassifier.nd4j(b);
    return new InferenceRuntime() {
      @Override public double[][] probabilities(EncodedBatch e) {
        try {
          barrier.await(20, TimeUnit.SECONDS);
        } catch (Exception x) {
          throw new IllegalStateException("the other caller never ran alongside this one: " + x, x);
        }
        return inner.probabilities(e);
      }

      @Override public String name() { return "nd4j-meeting"; }
    };
  }

  @Test void twoCallersRunTheirForwardsAtTheSameTimeAndGetTheSequentialAnswers() throws Exception {
    CyclicBarrier both = new CyclicBarrier(2);
    List<String> a = TinyModels.texts(5), b = TinyModels.texts(9).subList(5, 9);
    double[][] ea = clf.probabilities(a), eb = clf.probabilities(b);
    try (TextClassifier c = TextClassifier.load(tmp.resolve("model"), m -> meetingRuntime(m, both), 32, 2)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<double[][]> fa = pool.submit(() -> c.probabilities(a));
        Future<double[][]> fb = pool.submit(() -> c.probabilities(b));
        double[][] ga = fa.get(60, TimeUnit.SECONDS), gb = fb.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < a.size(); i++) for (int k = 0; k < 3; k++) assertEquals(ea[i][k], ga[i][k], 1e-6);
        for (int i = 0; i < b.size(); i++) for (int k = 0; k < 3; k++) assertEquals(eb[i][k], gb[i][k], 1e-6);
      } finally {
        pool.shutdownNow();
      }
      assertEquals(2, c.runtimesBuilt(), "one student per concurrent caller");
    }
  }

  @Test void maxConcurrencyBoundsTheRuntimesBuilt() throws Exception {
    List<String> texts = TinyModels.texts(12);
    double[][] expected = clf.probabilities(texts);
    try (TextClassifier c = TextClassifier.load(tmp.resolve("model"), TextClassifier::nd4j, 4, 1)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<double[][]>> fs = new ArrayList<>();
        for (int k = 0; k < 8; k++) fs.add(pool.submit(() -> c.probabilities(texts)));
        for (Future<double[][]> f : fs) {
          double[][] got = f.get(60, TimeUnit.SECONDS);
          for (int i = 0; i < texts.size(); i++) for (int k = 0; k < 3; k++) assertEquals(expected[i][k], got[i][k], 1e-6);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(1, c.runtimesBuilt(), "maxConcurrency 1: callers share one student in turn");
    }
  }
}
