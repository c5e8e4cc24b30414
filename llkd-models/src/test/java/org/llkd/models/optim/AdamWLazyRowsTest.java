package org.llkd.models.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lazy (row-wise) AdamW on the first tensor against dense AdamW: equal on the rows a step touches and on every other
 * tensor, including weight decay and clipping; different only on rows touched earlier and not now (dense AdamW still
 * moves them by their first moment and decays them; lazy leaves them).
 */
class AdamWLazyRowsTest {
  private static final List<ParamSpec> SPECS = List.of(
      new ParamSpec("table.weight", new long[] {6, 3}),   // rows 0..5 of width 3, updated lazily
      new ParamSpec("dense.weight", new long[] {4}),
      new ParamSpec("dense.bias", new long[] {2}));

  /** wd 0.01, clipping at 0.5 (active for these gradients), betas 0.9/0.999. */
  private static AdamW.Config config() {
    return new AdamW.Config(0.05, 0.9, 0.999, 1e-8, 0.01, 0, 10, 0.5, false);
  }

  private static NamedParams params() {
    NamedParams p = new NamedParams(SPECS, DataType.DOUBLE);
    p.flat().assign(Nd4j.linspace(DataType.DOUBLE, -1.0, 1.0, p.count()).reshape(1, -1));
    return p;
  }

  /** Gradient that is non-zero on {@code rows} of the table only (as an embedding backward writes it). */
  private static void grads(NamedParams g, int[] rows, double scale) {
    g.flat().assign(0);
    for (int r : rows) g.get("table.weight").getRow(r).assign(Nd4j.createFromArray(0.3, -0.2, 0.1).mul(scale * (r + 1)));
    g.get("dense.weight").assign(Nd4j.createFromArray(0.2, -0.1, 0.05, 0.4).mul(scale));
    g.get("dense.bias").assign(Nd4j.createFromArray(-0.3, 0.25).mul(scale));
  }

  private static INDArray row(NamedParams p, int r) { return p.get("table.weight").getRow(r).dup(); }

  @Test void touchedRowsAndDenseTensorsMatchDenseAdamW() {
    NamedParams pDense = params(), pLazy = params();
    NamedParams gDense = pDense.zerosLike(), gLazy = pLazy.zerosLike();
    AdamW dense = new AdamW(config(), pDense);
    AdamW lazy = new AdamW(config(), pLazy, config().schedule(), Set.of(), "table.weight");
    assertEquals("table.weight", lazy.lazyTensor());

    int[] step1 = {0, 2, 3};
    int[] step2 = {3, 5}; // 5 new; 3 again; 0 and 2 not touched now
    grads(gDense, step1, 1.0);
    grads(gLazy, step1, 1.0);
    AdamW.StepStats d1 = dense.step(pDense, gDense);
    AdamW.StepStats l1 = lazy.step(pLazy, gLazy, step1);
    assertTrue(d1.clipped());
    assertEquals(d1.gradNorm(), l1.gradNorm(), 1e-15);   // untouched rows add nothing to the norm
    // after step 1, untouched rows (1, 4, 5) differ by dense AdamW's weight decay only
    for (int r : step1) assertEquals(0.0, row(pDense, r).distance1(row(pLazy, r)), 1e-15, "row " + r);
    double keep = 1 - 0.05 * 0.01;
    for (int r : new int[] {1, 4, 5}) {
      assertEquals(0.0, row(pDense, r).distance1(row(params(), r).mul(keep)), 1e-15);
      assertEquals(0.0, row(pLazy, r).distance1(row(params(), r)), 0.0, "lazy leaves untouched row " + r);
    }

    // step 2 from equal states on the touched rows: give the dense optimiser's rows 5 the lazy one's value
    // (both were never touched; dense only decayed it) so that the comparison isolates the update rule
    pDense.get("table.weight").getRow(5).assign(row(pLazy, 5));
    grads(gDense, step2, -0.7);
    grads(gLazy, step2, -0.7);
    INDArray lazyRow0Before = row(pLazy, 0);
    AdamW.StepStats d2 = dense.step(pDense, gDense);
    AdamW.StepStats l2 = lazy.step(pLazy, gLazy, step2);
    assertEquals(d2.gradNorm(), l2.gradNorm(), 1e-15);
    for (int r : step2) assertEquals(0.0, row(pDense, r).distance1(row(pLazy, r)), 1e-14, "touched row " + r);
    for (String t : List.of("dense.weight", "dense.bias")) {
      assertEquals(0.0, pDense.get(t).distance1(pLazy.get(t)), 1e-15, t);
    }
    // the documented difference: row 0 had a gradient at step 1 but not at step 2
    assertEquals(0.0, row(pLazy, 0).distance1(lazyRow0Before), 0.0, "lazy does not move a row it was not given");
    assertNotEquals(0.0, row(pDense, 0).distance1(lazyRow0Before), "dense AdamW moves it by its first moment");
  }

  @Test void misuseIsRefusedWithAClearMessage() {
    NamedParams p = params();
    AdamW lazy = new AdamW(config(), p, config().schedule(), Set.of(), "table.weight");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> lazy.step(p, p.zerosLike()));
    assertTrue(e.getMessage().contains("touchedRows"), e.getMessage());
    IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
        () -> lazy.step(p, p.zerosLike(), new int[] {6}));
    assertTrue(out.getMessage().contains("outside [0, 6)"), out.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new AdamW(config(), p, config().schedule(), Set.of(), "dense.weight"));
    assertThrows(IllegalArgumentException.class,
        () -> new AdamW(config(), p, config().schedule(), Set.of("table.weight"), "table.weight"));
    AdamW dense = new AdamW(config(), p);
    assertThrows(IllegalArgumentException.class, () -> dense.step(p, p.zerosLike(), new int[] {1}));
  }
}
