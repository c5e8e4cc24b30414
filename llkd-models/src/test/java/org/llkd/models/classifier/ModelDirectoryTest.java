package org.llkd.models.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.models.encoder.Pooling;

/** Round trip and every refusal of the model directory loader (docs/model-format.md). */
class ModelDirectoryTest {
  private static ModelBundle bundle;
  @TempDir Path tmp;

  @BeforeAll static void build() { bundle = TinyModels.bundle(Pooling.MEAN, 11, 32); }

  private Path written() {
    Path dir = tmp.resolve("model");
    ModelDirectory.write(dir, bundle);
    return dir;
  }

  @Test void roundTripKeepsEverything() throws IOException {
    Path dir = written();
    ModelBundle back = ModelDirectory.read(dir);
    assertEquals(bundle.config(), back.config());
    assertEquals(bundle.labels(), back.labels());
    assertEquals(32, back.maxLength());
    assertEquals("TinyModels", back.provenance().get("test"));
    assertArrayEquals(bundle.params().flat().toFloatVector(), back.params().flat().toFloatVector(), 0f);
    assertArrayEquals(bundle.tokenizerJson(), back.tokenizerJson());
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(1, s.count(), "no temporary directory is left beside the model");
    }
    String json = Files.readString(dir.resolve("model.json"));
    assertTrue(json.contains("\"formatVersion\" : 1") && json.contains("\"sha256\""), json);
  }

  @Test void refusesToOverwrite() {
    Path dir = written();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDirectory.write(dir, bundle));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test void failedWriteLeavesNothing() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertThrows(RuntimeException.class, () -> ModelDirectory.write(file.resolve("model"), bundle));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(1, s.count());
    }
  }

  @Test void missingFileIsNamed() throws IOException {
    Path dir = written();
    Files.delete(dir.resolve("weights.bin"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains(dir + ": weights.bin: missing"), e.getMessage());
  }

  @Test void missingDirectory() {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(tmp.resolve("nope")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test void newerFormatVersionIsRefused() throws IOException {
    Path dir = written();
    edit(dir, "\"formatVersion\" : 1", "\"formatVersion\" : 2");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains("model.json: formatVersion 2 was written by a newer LLKD-J"), e.getMessage());
  }

  @Test void unknownFormatIsRefused() throws IOException {
    Path dir = written();
    edit(dir, "\"format\" : \"llkd-model\"", "\"format\" : \"something-else\"");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains("format 'something-else', expected 'llkd-model'"), e.getMessage());
  }

  @Test void corruptedWeightsFailTheHash() throws IOException {
    Path dir = written();
    byte[] w = Files.readAllBytes(dir.resolve("weights.bin"));
    w[w.length / 2] ^= 0x10;
    Files.write(dir.resolve("weights.bin"), w);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains("weights.bin: SHA-256 is "), e.getMessage());
  }

  @Test void truncatedWeights() throws IOException {
    Path dir = written();
    byte[] w = Files.readAllBytes(dir.resolve("weights.bin"));
    Files.write(dir.resolve("weights.bin"), java.util.Arrays.copyOf(w, w.length - 4));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains("weights.bin: " + (w.length - 4) + " bytes, expected " + w.length), e.getMessage());
  }

  @Test void wrongShapeIsNamed() throws IOException {
    Path dir = written();
    // the head's shape in the tensor list no longer fits numClasses 3
    String json = Files.readString(dir.resolve("model.json"));
    int at = json.indexOf("\"name\" : \"classifier.weight\"");
    String head = json.substring(at);
    String fixed = head.replaceFirst("16, 3", "16, 4");
    Files.writeString(dir.resolve("model.json"), json.substring(0, at) + fixed);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains("'classifier.weight': expected shape [16, 3] (from architecture), found [16, 4]"),
        e.getMessage());
  }

  @Test void labelCountMustMatchTheHead() throws IOException {
    Path dir = written();
    edit(dir, "\"positive\" ]", "\"positive\", \"extra\" ]");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains("expected 3 label names"), e.getMessage());
  }

  @Test void changedTokenizerIsRefused() throws IOException {
    Path dir = written();
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains("tokenizer.json: SHA-256 is"), e.getMessage());
  }

  @Test void missingFieldIsNamed() throws IOException {
    Path dir = written();
    edit(dir, "\"maxLength\" : 32,", "");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
    assertTrue(e.getMessage().contains("field 'maxLength' missing"), e.getMessage());
  }

  private static void edit(Path dir, String from, String to) throws IOException {
    Path f = dir.resolve("model.json");
    String s = Files.readString(f, StandardCharsets.UTF_8);
    assertTrue(s.contains(from), "fixture: model.json should contain " + from);
    Files.writeString(f, s.replace(from, to));
    assertFalse(Files.readString(f).contains(from) && !from.equals(to));
  }
}
