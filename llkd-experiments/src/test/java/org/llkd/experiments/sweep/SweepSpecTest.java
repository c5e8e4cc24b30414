package org.llkd.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.cli.LlkdCli;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.train.Tier;
import org.llkd.experiments.train.TrainConfig;
import picocli.CommandLine;

/** Sweep-file validation (errors name file and field), plan sizes, trial ids; no training. */
class SweepSpecTest {
  @TempDir Path tmp;

  private static final String VALID = """
      {"name": "t", "dataset": "pubmed_rct_sample", "teacher": "zeroshot-bge", "tier": "tiny", "method": "llkd",
       "search": "grid", "gridPoints": 3, "seeds": [1, 2], "workers": 1,
       "fixed": {"trainRows": 48},
       "parameters": {
         "learningRate": {"role": "scientific", "min": 1e-5, "max": 1e-3, "scale": "log"},
         "uncertainty": {"role": "scientific", "values": ["ENTROPY", "MARGIN"]}}}
      """;

  private Path write(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private String error(String json) throws IOException {
    Path f = write("bad.json", json);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepSpec.read(f));
    assertTrue(e.getMessage().startsWith(f + ": "), "names the file: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void validFileParses() throws IOException {
    SweepSpec s = SweepSpec.read(write("ok.json", VALID));
    assertEquals(Tier.TINY, s.study().tier());
    assertEquals(SweepSpec.Search.GRID, s.searchPlan().search());
    assertEquals(List.of(1L, 2L), s.seeds());
    assertEquals(48, s.space().fixed().get(SweepParameter.TRAIN_ROWS));
    assertEquals(List.of("learningRate", "uncertainty"), List.copyOf(s.parameterMap().keySet()));
    assertEquals(64, s.origin().sha256().length());
  }

  @Test
  void unknownParameterNamesFileAndField() throws IOException {
    String m = error(VALID.replace("\"uncertainty\": {", "\"uncertainity\": {"));
    assertTrue(m.contains("parameters.uncertainity: unknown parameter 'uncertainity'"), m);
    assertTrue(m.contains("momentum, learningRate, batchSize"), "lists the known names: " + m);
  }

  @Test
  void badRangeNamesFileAndField() throws IOException {
    String m = error(VALID.replace("\"min\": 1e-5, \"max\": 1e-3", "\"min\": 1e-3, \"max\": 1e-5"));
    assertTrue(m.contains("parameters.learningRate: bad range: min 0.001 must be < max"), m);
    String log = error(VALID.replace("\"min\": 1e-5", "\"min\": 0"));
    assertTrue(log.contains("parameters.learningRate"), log);
    String val = error(VALID.replace("[\"ENTROPY\", \"MARGIN\"]", "[\"ENTROPY\", \"VARIANCE\"]"));
    assertTrue(val.contains("parameters.uncertainty.values[1]: bad value \"VARIANCE\""), val);
    String mom = error(VALID.replace("\"fixed\": {\"trainRows\": 48}", "\"fixed\": {\"momentum\": 1.5}"));
    assertTrue(mom.contains("fixed.momentum: bad value 1.5 for momentum: expected in [0, 1)"), mom);
  }

  @Test
  void unknownSearchNamesFileAndField() throws IOException {
    String m = error(VALID.replace("\"search\": \"grid\"", "\"search\": \"bayesian\""));
    assertTrue(m.contains(": search: unknown search 'bayesian'; expected random, grid or one-at-a-time"), m);
  }

  @Test
  void otherMistakesAreCaught() throws IOException {
    assertTrue(error(VALID.replace("\"workers\": 1,", "\"workers\": 1, \"wokers\": 2,"))
        .contains(": wokers: unknown field"));
    assertTrue(error(VALID.replace("\"seeds\": [1, 2], ", "")).contains(": seeds: missing"));
    assertTrue(error(VALID.replace("\"gridPoints\": 3, ", "")).contains(": gridPoints: required"));
    assertTrue(error(VALID.replace("\"method\": \"llkd\"", "\"method\": \"random\""))
        .contains("parameters.uncertainty: only llkd* selectors read it"));
    assertTrue(error(VALID.replace("\"search\": \"grid\"", "\"search\": \"random\""))
        .contains(": candidates: required for random search"));
    assertTrue(error(VALID.replace("\"role\": \"scientific\", \"values\"", "\"values\""))
        .contains("parameters.uncertainty.role: missing"));
  }

  @Test
  void yamlFilesParseToTheSameSpec() throws IOException {
    Path y = write("ok.yaml", """
        name: t
        dataset: pubmed_rct_sample
        teacher: zeroshot-bge
        tier: tiny
        method: llkd
        search: grid
        gridPoints: 3
        seeds: [1, 2]
        workers: 1
        fixed: {trainRows: 48}
        parameters:
          learningRate: {role: scientific, min: 1.0e-5, max: 1.0e-3, scale: log}
          uncertainty: {role: scientific, values: [ENTROPY, MARGIN]}
        """);
    SweepSpec a = SweepSpec.read(y);
    SweepSpec b = SweepSpec.read(write("ok.json", VALID));
    assertEquals(b.space().parameters(), a.space().parameters());
    assertEquals(b.space().fixed(), a.space().fixed());
  }

  @Test
  void gridPlanIsTheProductAndIdsAreStableAcrossDataRoots() throws IOException {
    Path root = Provenance.repoRoot();
    SweepSpec s = SweepSpec.read(write("ok.json", VALID));
    SweepPlan p = SweepPlan.create(s, root.resolve("data"), root.resolve("teachers"));
    assertEquals(3 * 2 * 2, p.trials().size());
    assertEquals(48, p.base().data().trainRows());
    // Sequential grid, seed leaf last: the first 6 trials are seed 1.
    for (int i = 0; i < 6; i++) assertEquals(1L, p.trials().get(i).point().seed());
    SweepPlan.Trial t = p.trials().get(0);
    assertEquals(1e-5, t.config().schedule().learningRate());
    assertTrue(t.id().startsWith("lr1E-5_uENTROPY_s1-"), t.id());
    // Same config under another data root: same id (machines sharing a sweep directory agree).
    TrainConfig moved = t.config().withData(t.config().data().withFiles(tmp.resolve("elsewhere/data"),
        tmp.resolve("elsewhere/teachers/pubmed_rct_sample/zeroshot-bge.jsonl")));
    assertEquals(t.id(), SweepPlan.trialId(s, t.point(), moved));
    // Another fixed value: another id.
    assertNotEquals(t.id(), SweepPlan.trialId(s, t.point(), t.config().withStudent(t.config().student().withKeepLayers(1))
        .withData(t.config().data().withTrainRows(40))));
    assertEquals(p.trials().size(), p.trials().stream().map(SweepPlan.Trial::id).distinct().count());
  }

  @Test
  void committedFig5SweepIsValidAndOneAtATime() {
    Path root = Provenance.repoRoot();
    SweepSpec s = SweepSpec.read(root.resolve("sweeps/fig5_emotion_quick.json"));
    assertEquals(SweepSpec.Search.ONE_AT_A_TIME, s.searchPlan().search());
    assertEquals("emotion", s.study().dataset());
    assertEquals(Tier.QUICK, s.study().tier());
    assertEquals(List.of("momentum", "batchSize", "learningRate"), List.copyOf(s.parameterMap().keySet()));
    TrainConfig base = TrainConfig.quick("emotion", root.resolve("data"), root.resolve("teachers/emotion/x.jsonl"),
        "llkd", 1);
    List<Variant> v = SweepPlan.variants(s, base);
    assertEquals("base", v.get(0).varied());
    for (Variant x : v.subList(1, v.size())) {
      long differing = x.values().entrySet().stream().filter(e -> !e.getValue().equals(v.get(0).values().get(e.getKey())))
          .count();
      assertEquals(1, differing, "one parameter moves at a time: " + x);
    }
  }

  @Test
  void cliRejectsABadFileWithExitCode2() throws IOException {
    Path f = write("bad.json", VALID.replace("\"search\": \"grid\"", "\"search\": \"bayesian\""));
    CommandLine cl = LlkdCli.commandLine();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = cl.execute("sweep", f.toString(), "--out", tmp.resolve("out").toString());
    assertEquals(LlkdCli.EXIT_INVALID, code);
    String msg = err.toString(StandardCharsets.UTF_8);
    assertTrue(msg.contains("llkd: " + f + ": search: unknown search 'bayesian'"), msg);
    assertTrue(!Files.exists(tmp.resolve("out")), "nothing is created before the file is valid");
  }
}
