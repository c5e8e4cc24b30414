package org.llkd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.llkd.models.checkpoint.CheckpointIO;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.optim.AdamW;
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
 * How long do saving and loading a full student checkpoint take (parameters plus AdamW moments, as the
 * trainer saves after every epoch; zip of raw float32, fsync'd and renamed atomically)? Files go to a temp
 * directory (the disk of {@code java.io.tmpdir}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 3, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=6G", "--add-modules=jdk.incubator.vector"})
public class CheckpointBench {
  @Param({"minilm-l6"}) String model;
  @Param({"2"}) int numClasses;

  StudentConfig cfg;
  StudentTransformer student;
  AdamW optimizer;
  Path dir;
  Path saved;  // written in setup, read by load()
  Path target; // overwritten by save()

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    cfg = BenchInputs.config(model, numClasses);
    student = StudentTransformer.initRandom(cfg, 1234L);
    optimizer = new AdamW(AdamW.Config.bert(5e-5, 0.01, 10, 1000), student.params());
    dir = Files.createTempDirectory("llkd-ckpt-bench");
    saved = dir.resolve("saved.zip");
    target = dir.resolve("target.zip");
    CheckpointIO.save(saved, student.params(), optimizer, Map.of("bench", true));
  }

  @Benchmark
  public Path save() {
    CheckpointIO.save(target, student.params(), optimizer, Map.of("bench", true));
    return target;
  }

  @Benchmark
  public CheckpointIO.Checkpoint load() {
    return CheckpointIO.load(saved, cfg.paramSpecs(), cfg.dataType());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the benchmark's temp dir " + dir, e);
    }
  }
}
