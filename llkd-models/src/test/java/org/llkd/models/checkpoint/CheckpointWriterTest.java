package org.llkd.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.models.optim.AdamW;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The background writer saves what the state was at {@code submit}, not what it became while it wrote. */
class CheckpointWriterTest {
  private static final List<ParamSpec> SPECS = List.of(new ParamSpec("classifier.weight", new long[] {4, 3}),
      new ParamSpec("classifier.bias", new long[] {3}));
  private static final AdamW.Config CONFIG =
      new AdamW.Config(1e-3, 0.9, 0.999, 1e-8, 0.01, 0, 20, Double.POSITIVE_INFINITY, false);

  @TempDir Path dir;

  @Test
  void writesTheStateAsItWasAtSubmitEvenIfTrainingMovesOn() {
    NamedParams p = new NamedParams(SPECS, DataType.FLOAT);
    p.flat().assign(Nd4j.linspace(DataType.FLOAT, 1, 15, 15).reshape(1, 15));
    NamedParams g = p.zerosLike();
    g.flat().assign(0.5);
    AdamW opt = new AdamW(CONFIG, p);
    opt.step(p, g);
    float[] paramsAtSubmit = p.flat().toFloatVector();
    float[] mAtSubmit = opt.snapshot().m().toFloatVector();
    Path file = dir.resolve("checkpoint.zip");
    try (CheckpointWriter w = new CheckpointWriter("test")) {
      w.submit(file, p, opt, Map.of("epochsDone", 1));
      opt.step(p, g); // training goes on while the file is written
      p.flat().assign(-7);
      w.await();
      assertTrue(Files.isRegularFile(file));
    }
    CheckpointIO.Checkpoint c = CheckpointIO.load(file, SPECS, DataType.FLOAT);
    assertArrayEquals(paramsAtSubmit, c.params().flat().toFloatVector());
    assertArrayEquals(mAtSubmit, c.optimizer().m().toFloatVector());
    assertEquals(1, c.optimizer().step());
    assertEquals(1, ((Number) c.metadata().get("epochsDone")).intValue());
  }

  @Test
  void aFailedWriteIsThrownByTheNextAwait() {
    NamedParams p = new NamedParams(SPECS, DataType.FLOAT);
    AdamW opt = new AdamW(CONFIG, p);
    Path blocked = dir.resolve("a-file");
    try (CheckpointWriter w = new CheckpointWriter("test")) {
      Files.writeString(blocked, "not a directory");
      w.submit(blocked.resolve("checkpoint.zip"), p, opt, Map.of());
      IllegalStateException e = assertThrows(IllegalStateException.class, w::await);
      assertTrue(e.getMessage().contains("writing a checkpoint failed"), e.getMessage());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
