package org.llkd.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.models.optim.AdamW;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointIOTest {
  private static final List<ParamSpec> SPECS = List.of(
      new ParamSpec("encoder.layer.0.attention.self.query.weight", new long[] {4, 4}),
      new ParamSpec("encoder.layer.0.attention.self.query.bias", new long[] {4}),
      new ParamSpec("classifier.weight", new long[] {4, 3}));
  private static final AdamW.Config CONFIG =
      new AdamW.Config(1e-3, 0.9, 0.999, 1e-8, 0.01, 2, 20, Double.POSITIVE_INFINITY, false);

  @TempDir Path dir;

  private static NamedParams randomParams(DataType dt, long seed) {
    NamedParams p = new NamedParams(SPECS, dt);
    p.flat().assign(gaussian(p.count(), seed));
    return p;
  }

  /** A few AdamW steps with seeded random gradients, so m, v and the params are all non-trivial. */
  private static void train(AdamW opt, NamedParams p, int steps, long seed) {
    NamedParams g = p.zerosLike();
    for (int i = 0; i < steps; i++) {
      g.flat().assign(gaussian(p.count(), seed + i));
      opt.step(p, g);
    }
  }

  /** [1, n] standard normal values from a seeded java.util.Random (test data only). */
  private static INDArray gaussian(long n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
    return Nd4j.createFromArray(v).reshape(1, n);
  }

  private static Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", 3);
    m.put("rngState", Long.MAX_VALUE - 12345);
    m.put("tau", 0.1 + 0.2);
    m.put("selector", Map.of("name", "llkd", "classThresholds", List.of(0.25, 1.0 / 3, 0.95)));
    m.put("note", "resumable");
    return m;
  }

  @Test void roundTripIsBitwiseEqual() {
    for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
      NamedParams p = randomParams(dt, 7);
      AdamW opt = new AdamW(CONFIG, p);
      train(opt, p, 3, 100);
      Path f = dir.resolve("ckpt-" + dt + ".zip");
      CheckpointIO.save(f, p, opt, metadata());

      CheckpointIO.Checkpoint c = CheckpointIO.load(f, SPECS, dt);
      assertBitwiseEqual(p.flat(), c.params().flat());
      AdamW.State s = opt.snapshot();
      assertEquals(3, c.optimizer().step());
      assertBitwiseEqual(s.m(), c.optimizer().m());
      assertBitwiseEqual(s.v(), c.optimizer().v());
      assertEquals(CONFIG, c.optimizerConfig());
      assertEquals(metadata(), c.metadata());
      assertEquals(Long.MAX_VALUE - 12345, c.metadata().get("rngState"));
      assertEquals(0.1 + 0.2, (Double) c.metadata().get("tau"), 0.0);
      assertEquals(metadata(), CheckpointIO.readMetadata(f));
    }
  }

  @Test void resumedTrainingEqualsUnbrokenTraining() {
    NamedParams unbroken = randomParams(DataType.FLOAT, 11);
    AdamW a = new AdamW(CONFIG, unbroken);
    train(a, unbroken, 2, 200);
    Path f = dir.resolve("mid.zip");
    CheckpointIO.save(f, unbroken, a, Map.of());
    train(a, unbroken, 3, 300);

    NamedParams resumed = new NamedParams(SPECS, DataType.FLOAT);
    AdamW b = new AdamW(CONFIG, resumed);
    CheckpointIO.loadInto(f, resumed, b);
    assertEquals(2, b.iteration());
    train(b, resumed, 3, 300);
    assertBitwiseEqual(unbroken.flat(), resumed.flat());

    AdamW other = new AdamW(CONFIG.withMaxGradNorm(1.0), new NamedParams(SPECS, DataType.FLOAT));
    String msg = assertThrows(IllegalArgumentException.class,
        () -> CheckpointIO.loadInto(f, new NamedParams(SPECS, DataType.FLOAT), other)).getMessage();
    assertTrue(msg.contains("optimiser config"), msg);
  }

  @Test void paramsOnlyCheckpoint() {
    NamedParams p = randomParams(DataType.FLOAT, 3);
    Path f = dir.resolve("params-only.zip");
    CheckpointIO.save(f, p, null, Map.of("k", 1));
    CheckpointIO.Checkpoint c = CheckpointIO.load(f, SPECS, DataType.FLOAT);
    assertNull(c.optimizer());
    assertBitwiseEqual(p.flat(), c.params().flat());
    assertThrows(IllegalArgumentException.class,
        () -> CheckpointIO.loadInto(f, new NamedParams(SPECS, DataType.FLOAT), new AdamW(CONFIG, p)));
  }

  @Test void loadingIntoAnotherArchitectureNamesTheFirstMismatch() {
    NamedParams p = randomParams(DataType.FLOAT, 5);
    Path f = dir.resolve("a.zip");
    CheckpointIO.save(f, p, new AdamW(CONFIG, p), Map.of());

    List<ParamSpec> wider = List.of(SPECS.get(0), new ParamSpec("encoder.layer.0.attention.self.query.bias", new long[] {5}), SPECS.get(2));
    String msg = assertThrows(IllegalArgumentException.class, () -> CheckpointIO.load(f, wider, DataType.FLOAT)).getMessage();
    assertTrue(msg.contains("tensor 1 'encoder.layer.0.attention.self.query.bias': expected shape [5], found [4]"), msg);

    List<ParamSpec> renamed = List.of(SPECS.get(0), SPECS.get(1), new ParamSpec("head.weight", new long[] {4, 3}));
    msg = assertThrows(IllegalArgumentException.class, () -> CheckpointIO.load(f, renamed, DataType.FLOAT)).getMessage();
    assertTrue(msg.contains("tensor 2: expected head.weight [4, 3], found classifier.weight [4, 3]"), msg);

    msg = assertThrows(IllegalArgumentException.class, () -> CheckpointIO.load(f, SPECS.subList(0, 2), DataType.FLOAT)).getMessage();
    assertTrue(msg.contains("first extra: classifier.weight [4, 3]"), msg);

    msg = assertThrows(IllegalArgumentException.class, () -> CheckpointIO.load(f, SPECS, DataType.DOUBLE)).getMessage();
    assertTrue(msg.contains("dtype FLOAT, expected DOUBLE"), msg);

    NamedParams target = new NamedParams(wider, DataType.FLOAT);
    assertThrows(IllegalArgumentException.class, () -> CheckpointIO.loadInto(f, target, null));
    assertEquals(0.0, target.flat().sumNumber().doubleValue(), 0.0, "target untouched on failure");
  }

  @Test void crashBeforeRenameKeepsThePreviousCheckpoint() throws IOException {
    NamedParams p = randomParams(DataType.FLOAT, 1);
    AdamW opt = new AdamW(CONFIG, p);
    Path f = dir.resolve("ckpt.zip");
    CheckpointIO.save(f, p, opt, Map.of("version", "old"));
    INDArray old = p.flat().dup();
    train(opt, p, 1, 9);

    // The process "dies" after writing and syncing the temporary file but before the rename; it leaves
    // its temporary file behind, as a killed process would.
    Path leftover = dir.resolve(".ckpt.zip.killed.tmp");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> CheckpointIO.save(f, p, opt.snapshot(),
        opt.config(), Map.of("version", "new"), tmp -> {
          Files.copy(tmp, leftover);
          throw new IOException("simulated crash before rename");
        }));
    assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
    CheckpointIO.Checkpoint c = CheckpointIO.load(f, SPECS, DataType.FLOAT);
    assertEquals("old", c.metadata().get("version"));
    assertBitwiseEqual(old, c.params().flat());
    assertTrue(Files.exists(leftover));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(".ckpt.zip.killed.tmp", "ckpt.zip"), files.map(x -> x.getFileName().toString()).sorted().toList(),
          "the failed save removed its own temporary file");
    }

    // A failure while writing (metadata that JSON cannot hold, written last) never creates the final name.
    Path fresh = dir.resolve("fresh.zip");
    assertThrows(UncheckedIOException.class, () -> CheckpointIO.save(fresh, p, opt, Map.of("bad", new Object())));
    assertFalse(Files.exists(fresh));
    String msg = assertThrows(IllegalArgumentException.class,
        () -> CheckpointIO.save(fresh, p, opt, Map.of("selector", Map.of("tau", List.of(0.5, Double.NaN))))).getMessage();
    assertTrue(msg.contains("metadata.selector.tau[1] = NaN"), msg);
    assertFalse(Files.exists(fresh));

    // An overwrite that completes replaces the file.
    CheckpointIO.save(f, p, opt, Map.of("version", "new"));
    assertEquals("new", CheckpointIO.readMetadata(f).get("version"));
  }

  @Test void corruptedOrTruncatedFilesFailClearly() throws IOException {
    NamedParams p = randomParams(DataType.FLOAT, 2);
    Path f = dir.resolve("c.zip");
    CheckpointIO.save(f, p, new AdamW(CONFIG, p), Map.of());
    byte[] bytes = Files.readAllBytes(f);

    byte[] flipped = bytes.clone();
    flipped[80] ^= 0x10; // inside params.bin's data (local header is 30 + 10 bytes)
    Path bad = dir.resolve("flipped.zip");
    Files.write(bad, flipped);
    String msg = assertThrows(IllegalArgumentException.class, () -> CheckpointIO.load(bad, SPECS, DataType.FLOAT)).getMessage();
    assertTrue(msg.contains("params.bin CRC-32") && msg.contains("corrupted"), msg);

    Path cut = dir.resolve("truncated.zip");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    msg = assertThrows(IllegalArgumentException.class, () -> CheckpointIO.load(cut, SPECS, DataType.FLOAT)).getMessage();
    assertTrue(msg.contains("truncated or corrupted"), msg);

    assertThrows(IllegalArgumentException.class, () -> CheckpointIO.load(dir.resolve("missing.zip"), SPECS, DataType.FLOAT));
  }

  private static void assertBitwiseEqual(INDArray expected, INDArray actual) {
    assertEquals(expected.dataType(), actual.dataType());
    assertArrayEquals(expected.shape(), actual.shape());
    if (expected.dataType() == DataType.FLOAT) {
      float[] a = expected.toFloatVector(), b = actual.toFloatVector();
      for (int i = 0; i < a.length; i++) assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "element " + i);
    } else {
      double[] a = expected.toDoubleVector(), b = actual.toDoubleVector();
      for (int i = 0; i < a.length; i++) assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), "element " + i);
    }
  }
}
