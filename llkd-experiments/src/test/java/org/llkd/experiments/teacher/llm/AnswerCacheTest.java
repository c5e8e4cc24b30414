package org.llkd.experiments.teacher.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerCacheTest {
  @TempDir Path dir;

  private static Answer answer(double lp) {
    return new Answer(List.of(new TokenLogprob(" joy", lp), new TokenLogprob(" sad", -3.0)), null, 12, 1);
  }

  @Test
  void answersSurviveReopeningAndAnUnfinishedLastLineIsCutOff() throws Exception {
    Path f = dir.resolve("c.jsonl");
    try (AnswerCache c = AnswerCache.open(f)) {
      c.put("a", answer(-0.1));
      c.put("b", answer(-0.2));
    }
    Files.writeString(f, "{\"k\": \"c\", \"top\": [[\" jo", StandardCharsets.UTF_8, StandardOpenOption.APPEND); // killed mid-write
    try (AnswerCache c = AnswerCache.open(f)) {
      assertEquals(2, c.size());
      assertEquals(-0.2, c.get("b").top().get(0).logprob());
      assertEquals(12, c.get("a").promptTokens());
      assertNull(c.get("c"));
      c.put("c", answer(-0.3));
    }
    List<String> lines = Files.readAllLines(f);
    assertEquals(3, lines.size(), "the fragment was cut before the new entry: " + lines);
    try (AnswerCache c = AnswerCache.open(f)) {
      assertEquals(3, c.size());
    }
  }

  @Test
  void aDamagedCompleteLineIsAnErrorNamingTheLine() throws Exception {
    Path f = dir.resolve("c.jsonl");
    Files.writeString(f, "{\"k\": \"a\", \"top\": [], \"pt\": 1, \"ct\": 1}\nnot json\n", StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnswerCache.open(f));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void theKeyChangesWithEveryPartOfTheSetupAndHoldsNoText() {
    List<String> labels = List.of("sadness", "joy");
    String k = AnswerCache.key("http://h/v1", "m", "first-token", "T {text}", labels, 20, "I am sad");
    assertEquals(k, AnswerCache.key("http://h/v1", "m", "first-token", "T {text}", labels, 20, "I am sad"));
    assertNotEquals(k, AnswerCache.key("http://g/v1", "m", "first-token", "T {text}", labels, 20, "I am sad"));
    assertNotEquals(k, AnswerCache.key("http://h/v1", "m2", "first-token", "T {text}", labels, 20, "I am sad"));
    assertNotEquals(k, AnswerCache.key("http://h/v1", "m", "sequence", "T {text}", labels, 20, "I am sad"));
    assertNotEquals(k, AnswerCache.key("http://h/v1", "m", "first-token", "U {text}", labels, 20, "I am sad"));
    assertNotEquals(k, AnswerCache.key("http://h/v1", "m", "first-token", "T {text}", List.of("joy", "sadness"), 20, "I am sad"));
    assertNotEquals(k, AnswerCache.key("http://h/v1", "m", "first-token", "T {text}", labels, 20, "I am glad"));
    assertTrue(k.matches("[0-9a-f]{64}"), k);
  }
}
