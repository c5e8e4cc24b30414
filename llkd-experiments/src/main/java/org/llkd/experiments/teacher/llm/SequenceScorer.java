package org.llkd.experiments.teacher.llm;

import java.util.List;

/**
 * Sequence scoring: a label's full log-likelihood log P(label | prompt), from one completions call that echoes
 * {@code prompt + " " + label} for every label with the prompt's token log-probabilities. The label's tokens are
 * those that end after the prompt's last character ({@code text_offset} + token length, in code points); a token
 * that straddles the boundary (a tokenizer merging the space before the label) counts as the label's. Tokens that
 * start at or after the end of the echoed text are the one generated token and are ignored. Exact for multi-token
 * labels; about C times the prompt tokens of first-token scoring.
 */
public final class SequenceScorer {
  /** Put between the prompt and each label (the answer follows "Category:" on the same line). */
  public static final String LABEL_PREFIX = " ";

  private SequenceScorer() {}

  /** The C texts to echo for one prompt. */
  public static List<String> prompts(String prompt, List<String> labels) {
    return labels.stream().map(l -> prompt + LABEL_PREFIX + l).toList();
  }

  /** log P(label | prompt) for every label: [numClasses]. */
  public static double[] logLikelihoods(String prompt, List<String> labels, List<OpenAiClient.Echo> echoes) {
    int base = prompt.codePointCount(0, prompt.length());
    double[] out = new double[labels.size()];
    for (int k = 0; k < labels.size(); k++) {
      String full = prompt + LABEL_PREFIX + labels.get(k);
      int end = full.codePointCount(0, full.length());
      OpenAiClient.Echo e = echoes.get(k);
      double sum = 0;
      int used = 0;
      for (int t = 0; t < e.tokens().size(); t++) {
        int off = e.offsets()[t];
        String tok = e.tokens().get(t);
        int tokEnd = off + tok.codePointCount(0, tok.length());
        if (off >= end || tokEnd <= base) continue; // generated token, or part of the prompt
        double lp = e.logprobs()[t];
        if (!Double.isFinite(lp)) {
          throw new IllegalArgumentException("label '" + labels.get(k) + "': expected a finite log-probability for "
              + "its echoed token '" + tok + "', found " + lp);
        }
        sum += lp;
        used++;
      }
      if (used == 0) {
        throw new IllegalArgumentException("label '" + labels.get(k) + "': expected echoed tokens after the prompt's "
            + base + " characters, found none (text_offset does not cover the label; the endpoint's echo is not usable)");
      }
      out[k] = sum;
    }
    return out;
  }
}
