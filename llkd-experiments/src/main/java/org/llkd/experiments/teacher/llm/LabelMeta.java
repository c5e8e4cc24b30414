package org.llkd.experiments.teacher.llm;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

/**
 * The scored rows and the teacher file's {@code _meta}. Everything here follows from the job and the (cached)
 * answers alone, so a resumed run writes the same bytes as an uninterrupted one (the date comes from the job's
 * clock; token usage is what each row was billed when it was first asked).
 *
 * @param logits               [rows][numClasses]
 * @param meanLabelMass        mean over rows of the probability on the labels' first tokens (first-token), else NaN
 * @param rowsWithFlooredLabel rows where at least one label got the floor
 * @param flooredValues        label scores floored, in all
 * @param rowsAllFloored       rows where no returned token started any label
 */
public record LabelMeta(double[][] logits, double meanLabelMass, int rowsWithFlooredLabel, long flooredValues,
    int rowsAllFloored, long promptTokens, long completionTokens, Map<String, Object> toMap) {
  /** What {@code _meta.floor} says. */
  static final String FLOOR_RULE = "a label no returned top_logprobs token starts gets min(returned logprobs) - ln 2";

  static LabelMeta of(LabelJob job, InputRows rows, Answer[] answers, LabelMatcher matcher) {
    int n = answers.length;
    double[][] logits = new double[n][];
    double mass = 0;
    int rowsFloored = 0, allFloored = 0;
    long floored = 0, pt = 0, ct = 0;
    for (int i = 0; i < n; i++) {
      Answer a = answers[i];
      if (a == null) throw new IllegalStateException("row " + i + " has no answer");
      pt += a.promptTokens();
      ct += a.completionTokens();
      if (matcher != null) {
        ScoredRow s = matcher.score(a.top());
        logits[i] = s.logits();
        mass += s.labelMass();
        floored += s.floored();
        if (s.floored() > 0) rowsFloored++;
        if (s.floored() == job.question().labels().size()) allFloored++;
      } else {
        if (a.sequence() == null || a.sequence().length != job.question().labels().size()) {
          throw new IllegalStateException("row " + i + ": the cached answer holds no sequence scores for "
              + job.question().labels().size() + " labels");
        }
        logits[i] = a.sequence().clone();
      }
    }
    double meanMass = matcher != null ? mass / n : Double.NaN;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "llkd-teacher-jsonl/1");
    m.put("tool", "llkd teacher label");
    m.put("endpoint_host", job.endpointHost());
    m.put("model", job.calls().client().model());
    m.put("prompt_template", job.question().template().template());
    m.put("scoring", job.question().scoring().cli());
    if (matcher != null) {
      m.put("top_logprobs", job.question().topLogprobs());
      m.put("floor", FLOOR_RULE);
      m.put("mean_label_mass", meanMass);
      m.put("rows_with_floored_label", rowsFloored);
      m.put("floored_label_values", floored);
      m.put("rows_all_labels_floored", allFloored);
    } else {
      m.put("label_prefix", SequenceScorer.LABEL_PREFIX);
    }
    m.put("values", "logits (natural-log probabilities; softmax renormalises over the labels)");
    m.put("label_names", List.copyOf(job.question().labels()));
    m.put("input_file", Path.of(job.source().input()).getFileName().toString());
    m.put("input_sha256", rows.sha256());
    m.put("text_column", job.source().textColumn());
    LabelJob.Source source = job.source();
    m.put("ids", source.idColumn() == null ? source.split() + "-<0-based row>" : "column " + source.idColumn());
    m.put("num_rows", n);
    m.put("max_rows", job.source().maxRows());
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", pt);
    usage.put("completion_tokens", ct);
    usage.put("total_tokens", pt + ct);
    m.put("usage", usage);
    m.put("date", DateTimeFormatter.ISO_INSTANT.format(job.clock().instant().atOffset(ZoneOffset.UTC)
        .withNano(0).toInstant()));
    return new LabelMeta(logits, meanMass, rowsFloored, floored, allFloored, pt, ct, m);
  }
}
