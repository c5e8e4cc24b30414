package org.llkd.experiments.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.llkd.experiments.exp.Charts;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.experiments.train.Trainer;
import org.llkd.models.NativeBuild;

/**
 * Consecutive training runs in one JVM, as a grid runs them, recording the resident size after each (docs/memory.md).
 * Usage: {@code RunSeries <tier: tiny|quick|standard> <dataset> <runs> <outDir>}; run i uses seed i and method
 * {@code llkd}. Writes {@code outDir/resident.csv} (one row per run: resident size after the run, the run's peak from
 * its provenance, VmHWM, the Java heap committed, wall time) and {@code outDir/resident.png}. After each run it
 * calls {@code System.gc()}, as {@code RunGrid} does between the runs of a grid.
 */
public final class RunSeries {
  /** Columns of resident.csv. */
  static final String HEADER = "run,seed,build,resident_after_bytes,run_peak_resident_bytes,vm_hwm_kb,"
      + "heap_committed_bytes,wall_seconds,outside_loop_seconds";

  private RunSeries() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) throw new IllegalArgumentException("usage: RunSeries <tiny|quick|standard> <dataset> <runs> <outDir>");
    String tier = args[0];
    String dataset = args[1];
    int runs = Integer.parseInt(args[2]);
    Path out = Path.of(args[3]);
    Files.createDirectories(out);
    String build = NativeBuild.loaded().name();
    System.out.println("loaded " + NativeBuild.loaded().describe());
    Path teacher = Fixtures.teachersRoot().resolve(dataset).resolve("zeroshot-bge.jsonl");
    List<String> rows = new ArrayList<>(List.of(HEADER));
    double[] x = new double[runs];
    double[] after = new double[runs];
    double[] peak = new double[runs];
    for (int i = 1; i <= runs; i++) {
      TrainConfig cfg = config(tier, dataset, teacher, i);
      Path runDir = out.resolve("run-" + i);
      long t0 = System.nanoTime();
      new Trainer(cfg, runDir).train();
      double wall = (System.nanoTime() - t0) / 1e9;
      System.gc(); // as RunGrid does after every run; frees only what the run left to the collector
      settle(); // JavaCPP frees collected buffers on its deallocator thread: sample once that is done
      long rss = Pointer.physicalBytes();
      JsonNode prov = new ObjectMapper().readTree(runDir.resolve("provenance.json").toFile());
      long runPeak = prov.path("nativeMemory").path("peakResidentBytes").asLong(-1);
      double outside = prov.path("timeSeconds").path("outsideLoop").asDouble(Double.NaN);
      rows.add(String.format(Locale.ROOT, "%d,%d,%s,%d,%d,%d,%d,%.1f,%.1f", i, i, build, rss, runPeak,
          TrainChild.procStatusKb("VmHWM"), Runtime.getRuntime().totalMemory(), wall, outside));
      System.out.println("RunSeries " + rows.get(rows.size() - 1));
      x[i - 1] = i;
      after[i - 1] = rss / (double) (1L << 30);
      peak[i - 1] = runPeak / (double) (1L << 30);
    }
    Files.write(out.resolve("resident.csv"), rows, StandardCharsets.UTF_8);
    Charts.lines(out.resolve("resident.png"), "Resident size per run, " + runs + " " + tier + " runs of " + dataset
            + " in one JVM (" + build + ")", "run", "GiB", List.of("after the run", "peak during the run"),
        List.of(x, x), List.of(after, peak), false);
    System.exit(0); // DJL/ND4J keep non-daemon threads
  }

  private static void settle() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static TrainConfig config(String tier, String dataset, Path teacher, long seed) {
    Path data = Fixtures.dataRoot();
    return switch (tier) {
      case "tiny" -> TrainConfig.tiny(dataset, data, teacher, "llkd", seed);
      case "quick" -> TrainConfig.quick(dataset, data, teacher, "llkd", seed);
      case "standard" -> TrainConfig.standard(dataset, data, teacher, "llkd", seed);
      default -> throw new IllegalArgumentException("tier '" + tier + "': expected tiny, quick or standard");
    };
  }
}
