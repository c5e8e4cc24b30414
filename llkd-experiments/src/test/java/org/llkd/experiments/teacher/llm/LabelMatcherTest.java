package org.llkd.experiments.teacher.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelMatcherTest {
  private static final List<String> EMOTION = List.of("sadness", "joy", "love", "anger", "fear", "surprise");

  @Test
  void aReturnedTokenMatchesTheOneLabelItStartsIgnoringCaseLeadingSpaceAndWordMarkers() {
    LabelMatcher m = new LabelMatcher(EMOTION);
    assertEquals(1, m.match(" joy"));
    assertEquals(1, m.match("Joy"));
    assertEquals(1, m.match("\u0120joy"));
    assertEquals(5, m.match("\u2581sur"));
    assertEquals(0, m.match(" sad"));
    assertEquals(-1, m.match(" s"), "'s' starts sadness and surprise: ambiguous, ignored");
    assertEquals(-1, m.match(" joyful"), "longer than the label: not a prefix");
    assertEquals(-1, m.match(" The"));
    assertEquals(-1, m.match("  "));
  }

  @Test
  void labelsThatShareTheirFirstTokenAreRefusedUpFront() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LabelMatcher(List.of("joy", "sad", "Sadness")));
    assertTrue(e.getMessage().contains("'sad' and 'Sadness'"), e.getMessage());
    assertTrue(e.getMessage().contains("--scoring sequence"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LabelMatcher(List.of("Science & Maths", "Science Fiction")));
    assertTrue(e.getMessage().contains("cannot be told apart"), e.getMessage());
    new LabelMatcher(List.of("Society & Culture", "Science & Mathematics", "Sports", "Sci/Tech")); // distinct first words
  }

  @Test
  void scoresAreTheLogOfTheSummedMatchingProbabilityAndAMissingLabelGetsTheFloor() {
    LabelMatcher m = new LabelMatcher(List.of("sadness", "joy", "love"));
    ScoredRow r = m.score(List.of(new TokenLogprob(" joy", Math.log(0.5)), new TokenLogprob("Joy", Math.log(0.1)),
        new TokenLogprob(" sad", Math.log(0.2)), new TokenLogprob(" The", Math.log(0.04))));
    // love: absent -> min logprob (ln 0.04) - ln 2 = ln 0.02
    assertArrayEquals(new double[] {Math.log(0.2), Math.log(0.6), Math.log(0.02)}, r.logits(), 1e-12);
    assertEquals(1, r.floored());
    assertEquals(0.8, r.labelMass(), 1e-12);
  }

  @Test
  void anAnswerWithoutLogprobsIsAnErrorNotAUniformRow() {
    LabelMatcher m = new LabelMatcher(List.of("sadness", "joy"));
    assertThrows(IllegalArgumentException.class, () -> m.score(List.of()));
  }
}
