package org.llkd.experiments.teacher.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * First-token scoring without the remote tokenizer: which returned token starts which label.
 *
 * <p>A returned token and the label names are compared after {@link #normalise}: leading whitespace and the
 * tokenizers' word markers ({@code Ġ}, {@code ▁}) removed, lower case. A token matches a label when it is a prefix of
 * exactly one label ({@code " Joy"}, {@code "joy"} and {@code "jo"} all start {@code joy}; {@code "s"} starting both
 * {@code sadness} and {@code surprise} matches neither and is ignored). A label's score is the log of the summed
 * probability of the tokens that match it (so {@code " joy"} and {@code "Joy"} add up). A label that no returned
 * token matches gets the <b>floor</b>: the smallest log-probability in the returned top list minus ln 2, i.e. half as
 * likely as the least likely token shown (an unlisted token is at most as likely as the last listed one); the rows
 * with a floored label are counted in {@code _meta}.
 *
 * <p>Labels that first-token scoring cannot tell apart are refused up front: a tokenizer never lets a word's first
 * token run past the word, so label A can only be matched uniquely when its first word is not a prefix of another
 * label (refused: {@code sad}/{@code sadness}, {@code Science & Maths}/{@code Science Fiction}).
 */
public final class LabelMatcher {
  private static final double LN2 = Math.log(2);
  private final List<String> labels;
  private final List<String> keys; // normalised labels

  /** Checks the labels; an {@link IllegalArgumentException} names the pair that cannot be told apart. */
  public LabelMatcher(List<String> labels) {
    this.labels = List.copyOf(labels);
    List<String> k = new ArrayList<>();
    for (String l : labels) {
      String n = normalise(l);
      if (n.isEmpty()) throw new IllegalArgumentException("label '" + l + "': expected a name with letters, found none");
      k.add(n);
    }
    this.keys = List.copyOf(k);
    for (int a = 0; a < keys.size(); a++) {
      String first = keys.get(a).split("\\s+", 2)[0];
      for (int b = 0; b < keys.size(); b++) {
        if (a != b && keys.get(b).startsWith(first)) {
          throw new IllegalArgumentException("labels '" + labels.get(a) + "' and '" + labels.get(b) + "' cannot be told "
              + "apart by their first token (every token that can start '" + labels.get(a) + "' also starts '"
              + labels.get(b) + "', ignoring case and leading spaces); expected first words that are not prefixes of "
              + "another label: rename one in the labels file or use --scoring sequence");
        }
      }
    }
  }

  /** Leading whitespace and word markers removed, lower case (Locale.ROOT). */
  static String normalise(String s) {
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || c == '\u0120' || c == '\u2581') i++;
      else break;
    }
    return s.substring(i).strip().toLowerCase(Locale.ROOT);
  }

  /** The label a returned token starts, or -1 (no label, or more than one). */
  public int match(String token) {
    String n = normalise(token);
    if (n.isEmpty()) return -1;
    int found = -1;
    for (int k = 0; k < keys.size(); k++) {
      if (keys.get(k).startsWith(n)) {
        if (found >= 0) return -1;
        found = k;
      }
    }
    return found;
  }

  /** Scores every label from one answer's top list. */
  public ScoredRow score(List<TokenLogprob> top) {
    if (top.isEmpty()) {
      throw new IllegalArgumentException("expected a non-empty top_logprobs list, found none (does the endpoint "
          + "support logprobs and top_logprobs on chat completions?)");
    }
    double[] mass = new double[labels.size()];
    double min = 0;
    for (TokenLogprob t : top) {
      if (!Double.isFinite(t.logprob())) continue; // some servers send -inf for impossible tokens
      min = Math.min(min, t.logprob());
      int k = match(t.token());
      if (k >= 0) mass[k] += Math.exp(t.logprob());
    }
    double floor = min - LN2;
    double[] logits = new double[labels.size()];
    int floored = 0;
    double labelMass = 0;
    for (int k = 0; k < logits.length; k++) {
      if (mass[k] > 0) {
        logits[k] = Math.log(mass[k]);
        labelMass += mass[k];
      } else {
        logits[k] = floor;
        floored++;
      }
    }
    return new ScoredRow(logits, floored, labelMass);
  }

  public List<String> labels() {
    return labels;
  }
}
