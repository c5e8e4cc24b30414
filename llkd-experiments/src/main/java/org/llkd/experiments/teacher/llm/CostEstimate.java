package org.llkd.experiments.teacher.llm;

import java.util.Locale;

/**
 * {@code --dry-run}: what a run would send and roughly cost, without a single request. Tokens are estimated without
 * the remote tokenizer as ceil(code points / 4) per text sent (the usual English BPE average; real counts differ by
 * tokenizer and language, so treat it as an estimate) plus {@value #CHAT_OVERHEAD} tokens of chat framing per
 * message; first-token scoring pays one completion token per row, sequence scoring C prompts and C completion
 * tokens per row. Rows already in the answer cache cost nothing and are counted apart.
 *
 * @param rows       rows in the input (after --max-rows)
 * @param cached     of those, rows the cache already answers
 * @param tokens     estimated tokens for the rows not cached
 * @param firstPrompt the prompt of the first row, as it would be sent
 */
public record CostEstimate(int rows, int cached, long tokens, String firstPrompt) {
  static final int CHAT_OVERHEAD = 8;

  /** Reads the rows and the cache (the cache file is not created). */
  public static CostEstimate of(LabelJob job) {
    LabelJob.Question question = job.question();
    if (question.scoring() == Scoring.FIRST_TOKEN) new LabelMatcher(question.labels()); // refuse bad labels before anything
    InputRows rows = InputRows.read(job);
    java.util.Set<String> done = new java.util.HashSet<>();
    if (java.nio.file.Files.exists(job.output().cache())) {
      try (AnswerCache c = AnswerCache.open(job.output().cache())) {
        for (String t : rows.texts()) if (c.get(job.cacheKey(t)) != null) done.add(t);
      }
    }
    long tokens = 0;
    int cached = 0;
    for (String t : rows.texts()) {
      if (done.contains(t)) {
        cached++;
        continue;
      }
      String prompt = job.question().template().render(t, job.question().labels());
      if (job.question().scoring() == Scoring.FIRST_TOKEN) {
        tokens += estimate(prompt) + CHAT_OVERHEAD + 1;
      } else {
        for (String p : SequenceScorer.prompts(prompt, job.question().labels())) tokens += estimate(p) + 1;
      }
    }
    return new CostEstimate(rows.texts().size(), cached, tokens,
        job.question().template().render(rows.texts().get(0), job.question().labels()));
  }

  static long estimate(String s) {
    return (s.codePointCount(0, s.length()) + 3) / 4;
  }

  /** The dry-run report; {@code pricePer1k} may be null. */
  public String format(LabelJob job, Double pricePer1k) {
    StringBuilder sb = new StringBuilder();
    sb.append("dry run: nothing is sent to ").append(job.endpointHost()).append('\n');
    sb.append("first prompt (").append(job.question().scoring().cli()).append(" scoring, model ")
        .append(job.calls().client().model()).append("):\n----\n").append(firstPrompt).append("\n----\n");
    sb.append(String.format(Locale.ROOT, "rows: %d (%d already in the cache %s, %d to ask)%n", rows, cached,
        job.output().cache(), rows - cached));
    sb.append(String.format(Locale.ROOT, "estimated tokens to pay: %d (ceil(characters / 4) per prompt + framing; "
        + "an estimate, not the endpoint's tokenizer)%n", tokens));
    if (pricePer1k != null) {
      sb.append(String.format(Locale.ROOT, "estimated cost: %.4f at %s per 1k tokens%n", tokens / 1000.0 * pricePer1k,
          java.math.BigDecimal.valueOf(pricePer1k).toPlainString()));
    } else {
      sb.append("estimated cost: pass --price-per-1k-tokens to see it\n");
    }
    return sb.toString();
  }
}
