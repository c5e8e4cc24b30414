package org.llkd.experiments.teacher.llm;

/**
 * One entry of an endpoint's {@code top_logprobs} list: a token as text and its log-probability (natural log, as the
 * OpenAI protocol returns it).
 */
public record TokenLogprob(String token, double logprob) {
  public TokenLogprob {
    if (token == null) throw new IllegalArgumentException("token must not be null");
    if (Double.isNaN(logprob) || logprob > 1e-6) {
      throw new IllegalArgumentException("log-probability of token '" + token + "': expected a value <= 0, found " + logprob);
    }
  }
}
