package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.Tier;

/** provenance.json's {@code config} of an experiment keeps the keys it had before the options were grouped. */
class ExperimentOptionsJsonTest {

  @Test
  void groupsAreUnwrappedIntoThePreGroupingKeysInTheirOrder() {
    ExperimentOptions o = new ExperimentOptions(Tier.TINY, 2, new ExperimentOptions.Inputs(List.of(Fixtures.DATASET),
        Fixtures.dataRoot(), Fixtures.teachersRoot(), "zeroshot-bge"),
        new ExperimentOptions.Output(Path.of("out"), false, true));
    @SuppressWarnings("unchecked")
    Map<String, Object> json = new ObjectMapper().convertValue(o, Map.class);
    assertEquals(List.of("tier", "seeds", "datasets", "dataRoot", "teachersRoot", "teacher", "out", "force", "resume",
        "engine", "overrides"), new ArrayList<>(json.keySet()));
    assertEquals("TINY", json.get("tier"));
    assertEquals(List.of(Fixtures.DATASET), json.get("datasets"));
    assertEquals("zeroshot-bge", json.get("teacher"));
    assertEquals(true, json.get("resume"));
  }
}
