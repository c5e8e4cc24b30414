package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Figure 5 from a hand-written raw.csv (build only), and a tiny end-to-end run of its sweep. */
class Fig5ParameterAnalysisTest {
  @TempDir Path tmp;

  private static final String RAW = String.join("\n",
      "trial_id,trial_index,status,varied,seed,p_momentum,p_batchSize,p_learningRate,dev_macro_f1,test_macro_f1,"
          + "data_used,momentum,error",
      "b1,0,ok,base,1,auto,32,1E-4,0.50,0.48,0.60,0.96,",
      "b2,1,ok,base,2,auto,32,1E-4,0.52,0.50,0.62,0.96,",
      "m1,2,ok,momentum,1,0.9,32,1E-4,0.40,0.41,0.80,0.9,",
      "m3,3,ok,momentum,1,0.999,32,1E-4,0.45,0.44,0.30,0.999,",
      "m2,4,failed,momentum,1,0.99,32,1E-4,,,,,RuntimeException: boom",
      "s1,5,ok,batchSize,1,auto,16,1E-4,0.55,0.53,0.58,0.92,",
      "s2,6,ok,batchSize,1,auto,64,1E-4,0.47,0.46,0.65,0.98,",
      "l1,7,ok,learningRate,1,auto,32,3E-5,0.30,0.31,0.55,0.96,",
      "l2,8,ok,learningRate,1,auto,32,3E-4,0.49,0.47,0.61,0.96,") + "\n";

  @Test
  void buildsOnePngPerParameterAndTheTableFromRawCsvOnly() throws IOException {
    Files.writeString(tmp.resolve("raw.csv"), RAW, StandardCharsets.UTF_8);
    new Fig5ParameterAnalysis().build(tmp);

    for (String p : List.of("momentum", "batchSize", "learningRate")) {
      Path png = tmp.resolve("fig5_" + p + ".png");
      BufferedImage img = ImageIO.read(png.toFile());
      assertTrue(img != null && img.getWidth() > 500, "readable PNG " + png);
    }
    String md = Files.readString(tmp.resolve("table.md"));
    // Two seeds 0.50/0.52: sd 0.01414, 95% CI half-width t(.975, 1) 12.706 * 0.01414 / sqrt 2 = 0.1271; one: "—".
    // Momentum panel: x = λ used (base rows at 0.96), one-at-a-time slice only, numeric order, failed row left out.
    int a = md.indexOf("| 0.9 | 1 | 0.4000 — | 0.4100 — | 0.8000 — |");
    int b = md.indexOf("| 0.96 | 2 | 0.5100 ± 0.1271 | 0.4900 ± 0.1271 | 0.6100 ± 0.1271 |");
    int c = md.indexOf("| 0.999 | 1 | 0.4500 — |");
    assertTrue(a >= 0 && b > a && c > b, md);
    // Batch-size panel: base rows at 32, the λ variants (also batch 32) are not mixed in.
    assertTrue(md.contains("| 32 | 2 | 0.5100 ± 0.1271 |"), md);
    assertTrue(md.indexOf("| 16 | 1 | 0.5500") < md.indexOf("| 64 | 1 | 0.4700"), md);
    assertTrue(md.contains("| 3E-5 | 1 | 0.3000 — |"), md);
    // Ranked section from the same raw.csv: batch 16 is best; the failed trial is counted.
    assertTrue(md.contains("| 1 | auto | 16 | 1E-4 | batchSize | 1 | 0.5500 — |"), md);
    assertTrue(md.contains("1 failed"), md);
  }

  @Test
  void tinyRunOfTheCommittedSweepFileWritesRawCsvProvenanceAndFigures() throws IOException {
    Path out = tmp.resolve("fig5");
    int code = ExperimentMain.run(new Fig5ParameterAnalysis(),
        new String[] {"--tiny", "--dataset", "pubmed_rct_sample", "--seeds", "1", "--out", out.toString()});
    assertEquals(0, code);
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertEquals(List.of("base", "momentum", "learningRate"), raw.rows().stream().map(r -> r.get("varied")).toList());
    assertTrue(raw.rows().stream().allMatch(r -> "ok".equals(r.get("status"))), raw.rows().toString());
    assertEquals("0.9", raw.rows().get(1).get("momentum"), "the λ used is recorded");
    assertTrue(Files.isRegularFile(out.resolve("fig5_momentum.png")));
    assertTrue(Files.isRegularFile(out.resolve("fig5_learningRate.png")));
    JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
    assertTrue(prov.at("/inputs/sweep").asText().contains("fig5_pubmed_rct_sample_tiny.json sha256:"), prov.toString());
    assertEquals(3, prov.at("/trials/planned").asInt());
    assertEquals("Fig5ParameterAnalysis", prov.get("what").asText());
    assertEquals("TINY", prov.at("/config/tier").asText());
    assertTrue(prov.at("/inputs/dataset.pubmed_rct_sample.train").asText().contains("sha256:"), prov.toString());
    assertTrue(prov.at("/inputs/teacher.pubmed_rct_sample.zeroshot-bge.jsonl").asText().contains("sha256:"));
    assertEquals(0, prov.at("/runs/failed").asInt());
    assertTrue(prov.has("git") && prov.has("nd4j") && prov.has("host"));
  }
}
