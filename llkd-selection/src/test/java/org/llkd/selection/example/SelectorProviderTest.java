package org.llkd.selection.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.SelectorProvider;
import org.llkd.selection.Selection;
import org.llkd.selection.Selectors;
import org.llkd.selection.StepBatch;
import org.llkd.selection.baselines.BuiltInSelectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A user's selector found through ServiceLoader (test resources' META-INF/services), usable by name. */
class SelectorProviderTest {
  @Test
  void theExampleProviderIsFoundAfterTheBuiltIns() {
    List<String> expected = new ArrayList<>(new BuiltInSelectors().names());
    expected.add("margin");
    assertEquals(expected, Selectors.names());
  }

  @Test
  void theExampleSelectorIsBuiltByNameAndSelectsDecisiveRows() {
    SampleSelector s = Selectors.create("margin", Selectors.Params.defaults(3).withConfidenceThreshold(0.3));
    assertEquals("margin", s.name());
    // [4, 3] teacher probabilities: margins 0.8, 0.0, 0.3, 0.29
    double[][] p = {{0.9, 0.1, 0.0}, {0.4, 0.4, 0.2}, {0.6, 0.3, 0.1}, {0.59, 0.3, 0.11}};
    StepBatch b = StepBatch.of(new long[] {0, 1, 2, 3}, Nd4j.createFromArray(p).castTo(DataType.DOUBLE),
        Nd4j.zeros(DataType.DOUBLE, 4, 3));
    Selection sel = s.select(b);
    assertArrayEquals(new double[] {1, 0, 1, 0}, sel.mask().toDoubleVector(), 0.0);
    assertArrayEquals(new double[] {1, 0, 1, 0}, sel.weights().toDoubleVector(), 0.0);
    SampleSelector again = Selectors.create("margin", Selectors.Params.defaults(3).withConfidenceThreshold(0.3));
    again.restore(s.snapshot());
  }

  @Test
  void unknownNamesListTheProvidedOnesToo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Selectors.create("nope", Selectors.Params.defaults(3)));
    assertTrue(e.getMessage().contains("valid names: llkd,") && e.getMessage().contains(", margin"), e.getMessage());
  }

  /** Claims "random", which the built-ins own. */
  public static final class ClashingProvider implements SelectorProvider {
    @Override public List<String> names() { return List.of("random"); }
    @Override public SampleSelector create(String name, Selectors.Params p) { throw new AssertionError(); }
  }

  @Test
  void twoProvidersClaimingOneNameAreRefusedByName(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(SelectorProvider.class.getName()), ClashingProvider.class.getName() + "\n");
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
      t.setContextClassLoader(cl);
      IllegalStateException e = assertThrows(IllegalStateException.class, Selectors::names);
      assertTrue(e.getMessage().contains("'random' is claimed by both " + BuiltInSelectors.class.getName() + " and "
          + ClashingProvider.class.getName()), e.getMessage());
    } finally {
      t.setContextClassLoader(before);
    }
    assertTrue(Selectors.names().contains("random"), "the class path without the clash works again");
  }
}
