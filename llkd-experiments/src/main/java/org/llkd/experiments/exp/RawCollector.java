package org.llkd.experiments.exp;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llkd.experiments.engine.RunGrid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds an experiment's {@code raw.csv} from its run directories ({@code runs/<id>/metrics.csv},
 * {@code tags.json}, {@code FAILED.txt}), e.g. after a grid was stopped part-way: finished runs become
 * rows, failed runs become failed rows, unfinished runs are left out (and counted on stderr).
 */
public final class RawCollector {
  private static final Logger LOG = LoggerFactory.getLogger(RawCollector.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  private RawCollector() {}

  /** Writes {@code expDir/raw.csv} from {@code expDir/runs/*}; returns the number of finished runs. */
  public static int collect(Path expDir) {
    Path runs = expDir.resolve("runs");
    if (!Files.isDirectory(runs)) {
      throw new IllegalArgumentException("no run directories under " + runs + "; nothing to collect");
    }
    List<RunGrid.Outcome> outcomes = new ArrayList<>();
    int unfinished = 0;
    try (Stream<Path> dirs = Files.list(runs)) {
      for (Path d : dirs.sorted().toList()) {
        Map<String, String> tags = readTags(d.resolve(RunGrid.TAGS_FILE));
        RunGrid.Spec spec = new RunGrid.Spec(null, tags);
        if (Files.isRegularFile(d.resolve("metrics.csv"))) {
          outcomes.add(new RunGrid.Outcome(spec, RunGrid.readMetrics(d.resolve("metrics.csv"), spec), null));
        } else if (Files.isRegularFile(d.resolve("FAILED.txt"))) {
          Map<String, String> m = new LinkedHashMap<>(tags);
          m.put("run_id", d.getFileName().toString());
          outcomes.add(new RunGrid.Outcome(spec, m,
              Files.readString(d.resolve("FAILED.txt"), StandardCharsets.UTF_8).strip()));
        } else {
          unfinished++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + runs, e);
    }
    RunGrid.writeRaw(expDir, outcomes);
    if (unfinished > 0) LOG.warn("collect: left out {} unfinished run(s) under {}", unfinished, runs);
    return (int) outcomes.stream().filter(RunGrid.Outcome::ok).count();
  }

  private static Map<String, String> readTags(Path f) throws IOException {
    if (!Files.isRegularFile(f)) return Map.of();
    Map<String, String> out = new LinkedHashMap<>();
    JSON.readTree(f.toFile()).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
