package org.llkd.experiments.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Assertions;
import org.llkd.experiments.testsupport.ChildJvm;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.experiments.train.Trainer;

/**
 * A training run in its own JVM, for the tests that kill a run ({@link InterruptedRunTest}) or measure
 * its memory ({@link TrainingMemoryTest}). Usage:
 * {@code TrainChild <config> <dataset> <teacher> <seed> <runDir> <resume> [statsFile]}; the config names
 * are those of {@link #config}. With a stats file it samples heap and off-heap use before every step
 * and writes the peaks and the process's VmHWM (peak RSS) at the end.
 */
public final class TrainChild {
  private TrainChild() {}

  /**
   * The configs the child can run. {@code interrupt}: TINY shape (1 layer, 32 tokens) with 64 rows, batch 8
   * (8 steps per epoch) and 3 epochs, so a kill after the first checkpoint lands mid-run. {@code quick}: the
   * QUICK tier. {@code quick-small}: the QUICK tier's configuration unchanged (2 layers, 64 tokens, batch 32, trained
   * word embeddings with the lazy row update, SHARED selection forward, its AdamW schedule) on 128 train rows and
   * 64 dev/test rows: 4 steps per epoch, 3 epochs, so the determinism and resume tests check the tiers' code path
   * in seconds. {@code full-step}: the FULL tier's per-step shape (6 layers, 128 tokens, batch 32, eval
   * batch 64) on 256 rows for one epoch, evaluated on 128 rows: the largest step the shipped tiers take.
   */
  public static TrainConfig config(String name, Path dataRoot, Path teacherFile, String dataset, long seed) {
    return switch (name) {
      case "interrupt" -> {
        TrainConfig t = TrainConfig.tiny(dataset, dataRoot, teacherFile, "llkd", seed);
        yield t.withData(t.data().withEvalRows(16)).withStudent(t.student().withFrozenWordEmbeddings(false))
            .withSchedule(t.schedule().withEpochs(3).withBatchSize(8));
      }
      case "quick" -> TrainConfig.quick(dataset, dataRoot, teacherFile, "llkd", seed);
      case "quick-small" -> {
        TrainConfig q = TrainConfig.quick(dataset, dataRoot, teacherFile, "llkd", seed);
        yield q.withData(q.data().withTrainRows(128).withEvalRows(64));
      }
      case "full-step" -> {
        TrainConfig f = TrainConfig.full(dataset, dataRoot, teacherFile, "llkd", seed); // lazy word embeddings, as the tier
        yield f.withData(f.data().withTrainRows(256).withEvalRows(128)).withSchedule(f.schedule().withEpochs(1));
      }
      default -> throw new IllegalArgumentException("unknown child config '" + name
          + "'; expected interrupt, quick, quick-small or full-step");
    };
  }

  /**
   * Runs config {@code name} on {@link Fixtures#DATASET} with the zero-shot teacher in a child JVM with
   * {@code ompThreads} threads, to the end, into {@code runDir} (resuming from its checkpoint when {@code resume});
   * fails the test with the child's log when it does not exit 0 within {@code timeoutSeconds}.
   */
  public static void runToEnd(String name, long seed, Path runDir, boolean resume, int ompThreads,
      long timeoutSeconds) throws IOException, InterruptedException {
    Path log = runDir.resolveSibling(runDir.getFileName() + (resume ? "-resume" : "") + ".log");
    Process p = ChildJvm.start(TrainChild.class, List.of("-Xmx1g"), List.of(name, Fixtures.DATASET, "zeroshot-bge",
        Long.toString(seed), runDir.toString(), Boolean.toString(resume)), log, ompThreads);
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        Assertions.fail("child " + name + " did not finish within " + timeoutSeconds + " s:\n" + Files.readString(log));
      }
    } finally {
      if (p.isAlive()) p.destroyForcibly();
    }
    Assertions.assertEquals(0, p.exitValue(), "child " + name + " failed:\n" + Files.readString(log));
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 6) {
      throw new IllegalArgumentException("usage: TrainChild <config> <dataset> <teacher> <seed> <runDir> <resume> "
          + "[statsFile]");
    }
    Path root = Fixtures.repoRoot();
    String dataset = args[1];
    Path teacher = root.resolve("teachers").resolve(dataset).resolve(args[2] + ".jsonl");
    TrainConfig cfg = config(args[0], root.resolve("data"), teacher, dataset, Long.parseLong(args[3]));
    Path runDir = Path.of(args[4]);
    boolean resume = Boolean.parseBoolean(args[5]);
    Path stats = args.length > 6 ? Path.of(args[6]) : null;
    long[] peak = new long[3]; // heap used, JavaCPP tracked bytes, JavaCPP physical bytes (RSS)
    int[] steps = {0};
    long t0 = System.nanoTime();
    new Trainer(cfg, runDir).resuming(resume).withStopHook(step -> {
      steps[0]++;
      if (stats != null) sample(peak);
    }).train();
    if (stats != null) {
      sample(peak);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("config", args[0] + " " + cfg);
      s.put("steps", steps[0]);
      s.put("wall_seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
      s.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
      s.put("javacpp_max_bytes", Pointer.maxBytes());
      s.put("javacpp_max_physical_bytes", Pointer.maxPhysicalBytes());
      s.put("peak_heap_used_bytes", Math.max(peak[0], heapPoolPeaks()));
      s.put("peak_javacpp_bytes", peak[1]);
      s.put("peak_physical_bytes_sampled", peak[2]);
      s.put("vm_hwm_kb", procStatusKb("VmHWM"));
      StringBuilder sb = new StringBuilder();
      s.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
      Files.writeString(stats, sb.toString(), StandardCharsets.UTF_8);
    }
    System.out.println("TrainChild done: " + cfg.runId() + " steps " + steps[0]);
  }

  private static void sample(long[] peak) {
    Runtime rt = Runtime.getRuntime();
    peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
    peak[1] = Math.max(peak[1], Pointer.totalBytes());
    peak[2] = Math.max(peak[2], Pointer.physicalBytes());
  }

  /** Sum of the peak usage of the heap memory pools (catches peaks between samples). */
  private static long heapPoolPeaks() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) sum += p.getPeakUsage().getUsed();
    }
    return sum;
  }

  /** A {@code kB} field of /proc/self/status (e.g. VmHWM, the peak resident set size), or -1 if absent. */
  static long procStatusKb(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }
}
