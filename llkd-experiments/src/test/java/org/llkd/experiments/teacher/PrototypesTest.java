package org.llkd.experiments.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Few-shot prototype arithmetic on a 2-D example worked by hand.
 *
 * <p>Class 0 shots (1,0), (0.6,0.8): mean (0.8,0.4), normalised (2,1)/sqrt5 = (0.894427, 0.447214).
 * Class 1 shots (0,1), (-0.6,0.8): mean (-0.3,0.9), normalised (-1,3)/sqrt10 = (-0.316228, 0.948683).
 */
class PrototypesTest {
  private static final float[][] SHOTS = {{1f, 0f}, {0.6f, 0.8f}, {0f, 1f}, {-0.6f, 0.8f}};
  private static final int[] LABELS = {0, 0, 1, 1};
  private static final double TOL = 1e-6;

  @Test
  void prototypesAreNormalisedClassMeans() {
    float[][] p = Prototypes.classPrototypes(SHOTS, LABELS, 2);
    assertArrayEquals(new float[] {0.894427f, 0.447214f}, p[0], 1e-6f);
    assertArrayEquals(new float[] {-0.316228f, 0.948683f}, p[1], 1e-6f);
  }

  @Test
  void probabilitiesAreTemperatureSoftmaxOfCosines() {
    float[][] p = Prototypes.classPrototypes(SHOTS, LABELS, 2);
    float[][] query = {{1f, 0f}, {0f, 1f}};
    double[][] cos = Prototypes.cosine(query, p);
    assertArrayEquals(new double[] {0.894427, -0.316228}, cos[0], TOL);
    assertArrayEquals(new double[] {0.447214, 0.948683}, cos[1], TOL);
    // T = 0.5: p0 = 1 / (1 + exp(-(0.894427 + 0.316228) / 0.5)) = 1 / (1 + exp(-2.421310)) = 0.918438
    // row 2:   p1 = 1 / (1 + exp(-(0.948683 - 0.447214) / 0.5)) = 1 / (1 + exp(-1.002938)) = 0.731636
    double[][] probs = Prototypes.softmax(cos, 0.5);
    assertArrayEquals(new double[] {0.918438, 0.081562}, probs[0], TOL);
    assertArrayEquals(new double[] {0.268364, 0.731636}, probs[1], TOL);
  }

  @Test
  void leaveOneOutScoresEachShotWithoutItself() {
    double[][] loo = Prototypes.leaveOneOutCosine(SHOTS, LABELS, 2);
    // shot (1,0): own prototype is (0.6,0.8) alone -> 0.6; class 1 full prototype -> -0.316228
    assertArrayEquals(new double[] {0.6, -0.316228}, loo[0], TOL);
    // shot (-0.6,0.8): own prototype (0,1) -> 0.8; class 0 full prototype -> (-0.536656 + 0.357771) = -0.178885
    assertArrayEquals(new double[] {-0.178885, 0.8}, loo[3], TOL);
  }

  @Test
  void leaveOneOutNeedsTwoShotsPerClass() {
    assertThrows(IllegalArgumentException.class,
        () -> Prototypes.leaveOneOutCosine(new float[][] {{1f, 0f}, {0f, 1f}}, new int[] {0, 1}, 2));
  }

  @Test
  void zeroVectorIsRejectedNotTurnedIntoNaN() {
    assertThrows(IllegalArgumentException.class, () -> Prototypes.normaliseInPlace(new float[] {0f, 0f}));
  }

  @Test
  void shotsAreDrawnPerClassWithFixedSeed() {
    java.util.List<String> ids = java.util.List.of("train-0", "train-1", "train-2", "train-3", "train-4", "train-5");
    java.util.List<String> texts = java.util.List.of("a", "b", "c", "d", "e", "f");
    int[] labels = {0, 1, 0, 1, 0, 1};
    Shots s1 = Shots.draw(ids, texts, labels, java.util.List.of("x", "y"), 2, 13);
    Shots s2 = Shots.draw(ids, texts, labels, java.util.List.of("x", "y"), 2, 13);
    assertEquals(s1.ids(), s2.ids());
    assertArrayEquals(new int[] {0, 0, 1, 1}, s1.labels());
    for (int i = 0; i < 4; i++) {
      int row = Integer.parseInt(s1.ids().get(i).substring("train-".length()));
      assertEquals(labels[row], s1.labels()[i], "shot " + s1.ids().get(i) + " carries its own gold label");
    }
    assertThrows(IllegalArgumentException.class, () -> Shots.draw(ids, texts, labels, java.util.List.of("x", "y"), 4, 13));
  }
}
