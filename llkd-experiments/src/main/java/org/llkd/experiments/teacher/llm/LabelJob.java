package org.llkd.experiments.teacher.llm;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.llkd.experiments.product.TextFileReader;

/**
 * One {@code llkd teacher label} run, validated once.
 *
 * @param input          the file to label (.csv, .tsv, .jsonl, .txt)
 * @param format         its format, or null for the extension's
 * @param textColumn     the text column
 * @param idColumn       the id column (its values are the teacher ids), or null: ids {@code <split>-<row>}
 * @param split          the split name of generated ids (default {@code train}: what {@code llkd train} expects)
 * @param labels         the label names, in output column order
 * @param template       the prompt
 * @param scoring        first-token or sequence
 * @param client         endpoint, model, timeout, key
 * @param topLogprobs    top_logprobs asked for (first-token), 1..20
 * @param concurrency    requests in flight at most, >= 1
 * @param maxRows        only the first N rows, or null for all
 * @param out            the teacher JSONL written (atomically, at the end)
 * @param cache          the answer cache (default {@code <out>.cache.jsonl})
 * @param force          overwrite an existing {@code out}
 * @param retrier        retry policy
 * @param stopAfterCalls stop (as if killed) after this many paid calls, or null; for tests and trials
 * @param clock          the date in {@code _meta}
 */
public record LabelJob(String input, TextFileReader.Format format, String textColumn, String idColumn, String split,
    List<String> labels, PromptTemplate template, Scoring scoring, OpenAiClient.Settings client, int topLogprobs,
    int concurrency, Integer maxRows, Path out, Path cache, boolean force, Retrier retrier, Integer stopAfterCalls,
    Clock clock) {
  public LabelJob {
    labels = List.copyOf(labels);
    if (labels.size() < 2) throw new IllegalArgumentException("--labels: expected at least 2 labels, found " + labels);
    if (topLogprobs < 1 || topLogprobs > 20) {
      throw new IllegalArgumentException("--top-logprobs: expected 1..20 (the OpenAI limit), found " + topLogprobs);
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException("--concurrency: expected 1..256, found " + concurrency);
    }
    if (maxRows != null && maxRows < 1) throw new IllegalArgumentException("--max-rows: expected >= 1, found " + maxRows);
    if (stopAfterCalls != null && stopAfterCalls < 0) {
      throw new IllegalArgumentException("--stop-after-calls: expected >= 0, found " + stopAfterCalls);
    }
    if (split == null || !split.matches("[A-Za-z0-9_.]+")) {
      throw new IllegalArgumentException("--split: expected letters, digits, '_' or '.', found '" + split + "'");
    }
    if ("-".equals(input)) {
      throw new IllegalArgumentException("--input: expected a file (its SHA-256 goes into _meta and a rerun must "
          + "read the same rows), found '-' (standard input)");
    }
    if (cache == null) cache = out.resolveSibling(out.getFileName() + ".cache.jsonl");
    if (clock == null) clock = Clock.systemUTC();
  }

  public LabelJob withCache(Path c) {
    return new LabelJob(input, format, textColumn, idColumn, split, labels, template, scoring, client, topLogprobs,
        concurrency, maxRows, out, c, force, retrier, stopAfterCalls, clock);
  }

  public LabelJob withForce() {
    return new LabelJob(input, format, textColumn, idColumn, split, labels, template, scoring, client, topLogprobs,
        concurrency, maxRows, out, cache, true, retrier, stopAfterCalls, clock);
  }

  public LabelJob withMaxRows(Integer n) {
    return new LabelJob(input, format, textColumn, idColumn, split, labels, template, scoring, client, topLogprobs,
        concurrency, n, out, cache, force, retrier, stopAfterCalls, clock);
  }

  /** The cache key of one text. */
  String cacheKey(String text) {
    return AnswerCache.key(client.base().toString(), client.model(), scoring.cli(), template.template(), labels,
        scoring == Scoring.FIRST_TOKEN ? topLogprobs : 0, text);
  }

  /** host[:port] of the endpoint: all of the URL that goes into {@code _meta}. */
  String endpointHost() {
    var u = client.base();
    return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
  }
}
