package org.llkd.models.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Freezing a prefix of the layout: the frozen tensors never move, the rest moves as if alone. */
class AdamWFrozenPrefixTest {
  private static final ParamSpec A = new ParamSpec("a.weight", new long[] {3, 2});
  private static final ParamSpec B = new ParamSpec("b.weight", new long[] {2, 2});
  private static final ParamSpec C = new ParamSpec("c.bias", new long[] {2});

  @Test
  void frozenPrefixIsUntouchedAndTheRestMatchesAnOptimiserOverTheRestAlone() {
    AdamW.Config cfg = AdamW.Config.bert(0.1, 0.01, 0, 10).withMaxGradNorm(0.5); // clipping active
    NamedParams full = new NamedParams(List.of(A, B, C), DataType.DOUBLE);
    NamedParams alone = new NamedParams(List.of(B, C), DataType.DOUBLE);
    full.flat().assign(Nd4j.linspace(DataType.DOUBLE, 1, 10, 10).reshape(1, 10));
    alone.flat().assign(full.flat().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(6, 10)).reshape(1, 4));
    double[] frozenBefore = full.get("a.weight").dup().data().asDouble();
    AdamW frozen = new AdamW(cfg, full, cfg.schedule(), Set.of("a.weight"));
    AdamW plain = new AdamW(cfg, alone, cfg.schedule());
    assertEquals(6, frozen.frozenPrefix());
    NamedParams gFull = full.zerosLike();
    NamedParams gAlone = alone.zerosLike();
    for (int step = 0; step < 3; step++) {
      gFull.get("a.weight").assign(100.0 * (step + 1)); // huge: would dominate the norm if counted
      gFull.get("b.weight").assign(Nd4j.create(new double[][] {{0.3, -0.2}, {0.1, 0.4 * step}}));
      gFull.get("c.bias").assign(Nd4j.create(new double[] {-0.5, 0.25}));
      gAlone.get("b.weight").assign(gFull.get("b.weight"));
      gAlone.get("c.bias").assign(gFull.get("c.bias"));
      AdamW.StepStats s1 = frozen.step(full, gFull);
      AdamW.StepStats s2 = plain.step(alone, gAlone);
      assertEquals(s2.gradNorm(), s1.gradNorm(), 1e-15, "frozen gradients must not enter the norm");
    }
    assertArrayEquals(frozenBefore, full.get("a.weight").data().asDouble(), 0.0);
    assertArrayEquals(alone.get("b.weight").dup().data().asDouble(), full.get("b.weight").dup().data().asDouble(), 1e-15);
    assertArrayEquals(alone.get("c.bias").dup().data().asDouble(), full.get("c.bias").dup().data().asDouble(), 1e-15);
    assertTrue(Math.abs(full.get("b.weight").getDouble(0, 0) - 7.0) > 1e-6, "trainable tensors moved");
  }

  @Test
  void frozenTensorsMustBeAKnownPrefix() {
    NamedParams p = new NamedParams(List.of(A, B, C), DataType.DOUBLE);
    AdamW.Config cfg = AdamW.Config.bert(0.1, 0.0, 0, 10);
    IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
        () -> new AdamW(cfg, p, cfg.schedule(), Set.of("b.weight")));
    assertTrue(e1.getMessage().contains("must be the first tensors"), e1.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> new AdamW(cfg, p, cfg.schedule(), Set.of("nope")));
    assertTrue(e2.getMessage().contains("unknown parameter 'nope'"), e2.getMessage());
  }
}
