package org.llkd.experiments.teacher.llm;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.llkd.experiments.product.TextFileReader;

/**
 * One {@code llkd teacher label} run, validated once, in four groups: {@link Source the rows read}, {@link Question
 * what each row is asked}, {@link Calls how the endpoint is called} and {@link Output what is written}.
 *
 * @param source   the file to label and how to read it
 * @param question labels, prompt and scoring
 * @param calls    endpoint, concurrency and retries
 * @param output   the teacher file, the answer cache and --force
 * @param clock    the date in {@code _meta} (default: the system UTC clock)
 */
public record LabelJob(Source source, Question question, Calls calls, Output output, Clock clock) {
  public LabelJob {
    if (source == null || question == null || calls == null || output == null) {
      throw new IllegalArgumentException("a label job needs source, question, calls and output; found " + source + ", "
          + question + ", " + calls + ", " + output);
    }
    if (clock == null) clock = Clock.systemUTC();
  }

  /**
   * The rows to label.
   *
   * @param input      the file to label (.csv, .tsv, .jsonl, .txt)
   * @param format     its format, or null for the extension's
   * @param textColumn the text column
   * @param idColumn   the id column (its values are the teacher ids), or null: ids {@code <split>-<row>}
   * @param split      the split name of generated ids (default {@code train}: what {@code llkd train} expects)
   * @param maxRows    only the first N rows, or null for all
   */
  public record Source(String input, TextFileReader.Format format, String textColumn, String idColumn, String split,
      Integer maxRows) {
    public Source {
      if (maxRows != null && maxRows < 1) throw new IllegalArgumentException("--max-rows: expected >= 1, found " + maxRows);
      if (split == null || !split.matches("[A-Za-z0-9_.]+")) {
        throw new IllegalArgumentException("--split: expected letters, digits, '_' or '.', found '" + split + "'");
      }
      if ("-".equals(input)) {
        throw new IllegalArgumentException("--input: expected a file (its SHA-256 goes into _meta and a rerun must "
            + "read the same rows), found '-' (standard input)");
      }
    }

    /** All rows of {@code input} (format from the extension) with ids {@code train-<row>}. */
    public static Source of(String input, String textColumn) {
      return new Source(input, null, textColumn, null, "train", null);
    }

    public Source withIdColumn(String column) {
      return new Source(input, format, textColumn, column, split, maxRows);
    }

    public Source withMaxRows(Integer n) {
      return new Source(input, format, textColumn, idColumn, split, n);
    }
  }

  /**
   * What each row is asked.
   *
   * @param labels      the label names, in output column order
   * @param template    the prompt
   * @param scoring     first-token or sequence
   * @param topLogprobs top_logprobs asked for (first-token), 1..20
   */
  public record Question(List<String> labels, PromptTemplate template, Scoring scoring, int topLogprobs) {
    public Question {
      labels = List.copyOf(labels);
      if (labels.size() < 2) throw new IllegalArgumentException("--labels: expected at least 2 labels, found " + labels);
      if (topLogprobs < 1 || topLogprobs > 20) {
        throw new IllegalArgumentException("--top-logprobs: expected 1..20 (the OpenAI limit), found " + topLogprobs);
      }
    }
  }

  /**
   * How the endpoint is called.
   *
   * @param client         endpoint, model, timeout, key
   * @param concurrency    requests in flight at most, 1..256
   * @param retrier        retry policy
   * @param stopAfterCalls stop (as if killed) after this many paid calls, or null; for tests and trials
   */
  public record Calls(OpenAiClient.Settings client, int concurrency, Retrier retrier, Integer stopAfterCalls) {
    public Calls {
      if (concurrency < 1 || concurrency > 256) {
        throw new IllegalArgumentException("--concurrency: expected 1..256, found " + concurrency);
      }
      if (stopAfterCalls != null && stopAfterCalls < 0) {
        throw new IllegalArgumentException("--stop-after-calls: expected >= 0, found " + stopAfterCalls);
      }
    }
  }

  /**
   * What the run writes.
   *
   * @param out   the teacher JSONL written (atomically, at the end)
   * @param cache the answer cache (null: {@code <out>.cache.jsonl})
   * @param force overwrite an existing {@code out}
   */
  public record Output(Path out, Path cache, boolean force) {
    public Output {
      if (cache == null) cache = out.resolveSibling(out.getFileName() + ".cache.jsonl");
    }
  }

  public LabelJob withSource(Source s) {
    return new LabelJob(s, question, calls, output, clock);
  }

  public LabelJob withOutput(Output o) {
    return new LabelJob(source, question, calls, o, clock);
  }

  public LabelJob withCache(Path c) {
    return withOutput(new Output(output.out(), c, output.force()));
  }

  public LabelJob withForce() {
    return withOutput(new Output(output.out(), output.cache(), true));
  }

  public LabelJob withMaxRows(Integer n) {
    return withSource(source.withMaxRows(n));
  }

  /** The cache key of one text. */
  String cacheKey(String text) {
    return AnswerCache.key(calls.client().base().toString(), calls.client().model(), question.scoring().cli(),
        question.template().template(), question.labels(),
        question.scoring() == Scoring.FIRST_TOKEN ? question.topLogprobs() : 0, text);
  }

  /** host[:port] of the endpoint: all of the URL that goes into {@code _meta}. */
  String endpointHost() {
    var u = calls.client().base();
    return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
  }
}
