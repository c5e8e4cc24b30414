package org.llkd.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llkd.experiments.engine.TrainConfigDto;
import org.llkd.experiments.train.RunCheckpoint;
import org.llkd.experiments.train.Tier;
import org.llkd.experiments.train.TrainConfig;

/**
 * The grouped {@link TrainConfig} serialises exactly as the flat 29-component record did, so directories written
 * before the grouping resume: a sweep trial's id hash ({@link SweepPlan#canonical}), a checkpoint's config check
 * ({@link RunCheckpoint#configKey}), provenance.json's {@code config} and the printed config. The expected strings in
 * {@code compat/train-config-flat.txt} were printed by the flat record (commit e2b5044) for each tier.
 */
class TrainConfigCompatibilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TrainConfig tier(Tier t) {
    return t.config("emotion", Path.of("/abs/data"), Path.of("/abs/teachers/emotion/zeroshot-bge.jsonl"), "llkd", 3);
  }

  @Test
  void everyTierSerialisesAsTheFlatRecordDid() throws IOException {
    Map<String, String> old = new LinkedHashMap<>();
    try (InputStream in = TrainConfigCompatibilityTest.class.getResourceAsStream("/compat/train-config-flat.txt")) {
      String tier = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("TIER ")) {
          tier = line.substring(5);
          continue;
        }
        int sp = line.startsWith("REL ") ? line.indexOf(' ', 4) : line.indexOf(' ');
        old.put((line.startsWith("REL ") ? "" : tier + " ") + line.substring(0, sp), line.substring(sp + 1));
      }
    }
    for (Tier t : Tier.values()) {
      TrainConfig c = tier(t);
      assertEquals(old.get(t + " CANON"), SweepPlan.canonical(c), t + ": sweep trial hash input");
      assertEquals(old.get(t + " CKPT"), RunCheckpoint.configKey(c), t + ": checkpoint config check");
      assertEquals(old.get(t + " PROV"), JSON.writeValueAsString(JSON.convertValue(c, Object.class)),
          t + ": provenance.json config");
      assertEquals(old.get(t + " TOSTRING"), c.toString(), t + ": printed config");
    }
    TrainConfig rel = TrainConfig.tiny("d", Path.of("data"), Path.of("t.jsonl"), "random", 1);
    rel = rel.withSelector(rel.selector().withMomentum(0.9));
    assertEquals(old.get("REL CANON"), SweepPlan.canonical(rel), "relative paths: sweep trial hash input");
  }

  @Test
  void flatFormRoundTripsThroughTheSparkDto() {
    for (Tier t : Tier.values()) {
      TrainConfig c = tier(t);
      assertEquals(c, TrainConfig.fromFlat(c.flat()), t + ": fromFlat(flat())");
      assertEquals(c, TrainConfigDto.of(c).toConfig(), t + ": through TrainConfigDto");
    }
  }
}
