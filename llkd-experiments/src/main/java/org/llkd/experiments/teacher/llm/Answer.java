package org.llkd.experiments.teacher.llm;

import java.util.List;

/**
 * What the endpoint answered for one text, as cached: the first answer token's top list (first-token scoring) or
 * the labels' log-likelihoods (sequence scoring), and the tokens the call was billed for.
 *
 * @param top              top_logprobs of the first answer token (first-token scoring), else empty
 * @param sequence         [numClasses] log P(label | prompt) (sequence scoring), else null
 * @param promptTokens     usage.prompt_tokens of the call
 * @param completionTokens usage.completion_tokens of the call
 */
public record Answer(List<TokenLogprob> top, double[] sequence, long promptTokens, long completionTokens) {
  public Answer {
    top = List.copyOf(top);
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("token usage: expected counts >= 0, found " + promptTokens + " and " + completionTokens);
    }
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
