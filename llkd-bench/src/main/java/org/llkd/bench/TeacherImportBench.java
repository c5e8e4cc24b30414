package org.llkd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputWriter;
import org.llkd.selection.teacher.TeacherOutputs;
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
 * How fast is a strict teacher import ({@link TeacherOutputReader#read}: parse, validate, hash)? The file
 * ({@code rows} x {@code numClasses} probabilities with label names) is written once per trial into a temp
 * directory, in JSONL or NPY (float32, with the ids sidecar). One op = one whole file; rows/s = rows / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 3, jvmArgsAppend = {"-Xmx3g"})
public class TeacherImportBench {
  @Param({"jsonl", "npy"}) String format;
  @Param({"100000"}) int rows;
  @Param({"5"}) int numClasses;

  Path dir;
  Path file;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    List<String> ids = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) ids.add("train-" + i);
    List<String> labels = new ArrayList<>(numClasses);
    for (int k = 0; k < numClasses; k++) labels.add("label_" + k);
    TeacherOutputs t = TeacherOutputs.ofProbabilities(ids, labels, BenchInputs.teacherProbs(rows, numClasses, 21L),
        Map.of("model", "synthetic-bench-teacher"));
    dir = Files.createTempDirectory("llkd-teacher-bench");
    switch (format) {
      case "jsonl" -> TeacherOutputWriter.writeJsonl(t, file = dir.resolve("teacher.jsonl"));
      case "npy" -> TeacherOutputWriter.writeNpy(t, file = dir.resolve("teacher.npy"), TeacherOutputWriter.NpyDtype.FLOAT32);
      default -> throw new IllegalArgumentException("format param '" + format + "': expected jsonl or npy");
    }
  }

  @Benchmark
  public TeacherOutputs read() {
    return TeacherOutputReader.read(file);
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
