package org.llkd.experiments.teacher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The k labelled examples per class a few-shot prompt would include, drawn from the train split with a
 * fixed seed: for each class in class-id order, that class's rows (in file order) are shuffled with one
 * shared {@link Random}{@code (seed)} and the first k are taken. These are the only gold labels a
 * teacher may see.
 *
 * @param ids    sample ids ({@code train-<row>}), grouped by class, draw order within a class
 * @param texts  their texts
 * @param labels their class ids
 */
public record Shots(List<String> ids, List<String> texts, int[] labels, int k, long seed, int numClasses) {
  public Shots {
    if (ids.size() != texts.size() || ids.size() != labels.length) {
      throw new IllegalArgumentException("ids, texts and labels differ in length: " + ids.size() + ", " + texts.size() + ", " + labels.length);
    }
    ids = List.copyOf(ids);
    texts = List.copyOf(texts);
    labels = labels.clone();
  }

  /**
   * Draws {@code k} rows per class from a labelled split ({@code ids}, {@code texts}, {@code labels}
   * aligned, file order). Fails if a class has fewer than {@code k} rows.
   */
  public static Shots draw(List<String> ids, List<String> texts, int[] labels, List<String> labelNames, int k, long seed) {
    if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
    int numClasses = labelNames.size();
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < numClasses; c++) byClass.add(new ArrayList<>());
    for (int i = 0; i < labels.length; i++) byClass.get(labels[i]).add(i);
    Random rng = new Random(seed);
    List<String> outIds = new ArrayList<>();
    List<String> outTexts = new ArrayList<>();
    int[] outLabels = new int[k * numClasses];
    int j = 0;
    for (int c = 0; c < numClasses; c++) {
      List<Integer> rows = byClass.get(c);
      if (rows.size() < k) {
        throw new IllegalArgumentException("class '" + labelNames.get(c) + "' has only " + rows.size()
            + " rows in the shot split, fewer than k=" + k + "; pass --k " + rows.size() + " or less");
      }
      Collections.shuffle(rows, rng);
      for (int r : rows.subList(0, k)) {
        outIds.add(ids.get(r));
        outTexts.add(texts.get(r));
        outLabels[j++] = c;
      }
    }
    return new Shots(outIds, outTexts, outLabels, k, seed, numClasses);
  }
}
