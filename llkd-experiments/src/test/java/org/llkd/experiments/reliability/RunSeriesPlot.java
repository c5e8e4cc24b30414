package org.llkd.experiments.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.exp.Charts;

/**
 * One figure from several {@link RunSeries} outputs (one per native build): resident size after each run, the same
 * less the Java heap committed at that moment, and the run's peak, per build (docs/memory.md). Usage: {@code RunSeriesPlot <out.png> <title> <resident.csv>...}; the
 * build name is read from each file's {@code build} column.
 */
public final class RunSeriesPlot {
  private static final double GIB = 1L << 30;

  private RunSeriesPlot() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) throw new IllegalArgumentException("usage: RunSeriesPlot <out.png> <title> <resident.csv>...");
    List<String> names = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    for (int f = 2; f < args.length; f++) {
      List<String> lines = Files.readAllLines(Path.of(args[f]), StandardCharsets.UTF_8);
      List<String> header = List.of(lines.get(0).split(","));
      if (!lines.get(0).equals(RunSeries.HEADER)) {
        throw new IllegalArgumentException(args[f] + " line 1: expected the header " + RunSeries.HEADER + ", found "
            + lines.get(0));
      }
      int n = lines.size() - 1;
      double[] x = new double[n];
      double[] after = new double[n];
      double[] peak = new double[n];
      double[] native_ = new double[n];
      String build = "?";
      for (int i = 0; i < n; i++) {
        String[] v = lines.get(i + 1).split(",");
        x[i] = Double.parseDouble(v[header.indexOf("run")]);
        build = v[header.indexOf("build")];
        after[i] = Double.parseDouble(v[header.indexOf("resident_after_bytes")]) / GIB;
        peak[i] = Double.parseDouble(v[header.indexOf("run_peak_resident_bytes")]) / GIB;
        native_[i] = after[i] - Double.parseDouble(v[header.indexOf("heap_committed_bytes")]) / GIB;
      }
      names.add(build + ": after the run");
      xs.add(x);
      ys.add(after);
      names.add(build + ": after the run, less the Java heap");
      xs.add(x);
      ys.add(native_);
      names.add(build + ": peak during the run");
      xs.add(x);
      ys.add(peak);
    }
    Charts.lines(Path.of(args[0]), args[1], "run", "GiB", names, xs, ys, false);
  }
}
