package org.llkd.experiments.teacher.llm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.llkd.experiments.log.Progress;
import org.llkd.selection.teacher.TeacherOutputWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels every row of a file through the endpoint and writes the canonical JSONL teacher file.
 *
 * <p>Order of work: read the rows; check the labels (first-token: {@link LabelMatcher} refuses labels it cannot tell
 * apart); look every text up in the {@link AnswerCache}; ask the endpoint for the rest with at most
 * {@code concurrency} requests in flight, each answer appended to the cache before the row counts as done; then
 * score every row in input order and write the file atomically ({@link TeacherOutputWriter}: nothing is written
 * before every row has an answer). A run killed or failed half-way leaves its paid answers in the cache; the same
 * command resumes, asking only for the rows not yet cached, and writes the same file as an uninterrupted run.
 */
public final class LlmLabeler {
  private static final Logger LOG = LoggerFactory.getLogger(LlmLabeler.class);

  /**
   * @param rows        rows written
   * @param fromCache   rows answered by the cache
   * @param calls       calls paid in this run
   * @param retries     attempts retried in this run
   * @param tokensPaid  tokens billed in this run (usage reported by the endpoint)
   * @param out         the teacher file
   * @param meta        its {@code _meta}
   */
  public record Result(int rows, int fromCache, long calls, long retries, long tokensPaid, Path out, LabelMeta meta) {
    public String summary() {
      return String.format(java.util.Locale.ROOT, "labelled %d rows -> %s (%d from the cache, %d calls paid, %d retries, "
          + "%d tokens this run; mean label mass %s, %d rows with a floored label)", rows, out, fromCache, calls,
          retries, tokensPaid, Double.isNaN(meta.meanLabelMass()) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f",
              meta.meanLabelMass()), meta.rowsWithFlooredLabel());
    }
  }

  /** A run stopped on purpose ({@code --stop-after-calls}) or by a failure, after its answers were cached. */
  public static final class Stopped extends IllegalStateException {
    public Stopped(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private LlmLabeler() {}

  public static Result run(LabelJob job) {
    LabelJob.Output output = job.output();
    LabelJob.Question question = job.question();
    if (Files.exists(output.out()) && !output.force()) {
      throw new IllegalArgumentException(output.out() + ": expected a new output file, found one already (pass --force "
          + "to replace it; rows in the answer cache " + output.cache() + " are not paid again)");
    }
    LabelMatcher matcher = question.scoring() == Scoring.FIRST_TOKEN ? new LabelMatcher(question.labels()) : null;
    InputRows rows = InputRows.read(job);
    int n = rows.texts().size();
    OpenAiClient client = new OpenAiClient(job.calls().client());
    Answer[] answers = new Answer[n];
    try (AnswerCache cache = AnswerCache.open(output.cache())) {
      List<Integer> todo = new ArrayList<>();
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        keys[i] = job.cacheKey(rows.texts().get(i));
        answers[i] = cache.get(keys[i]);
        if (answers[i] == null) todo.add(i);
      }
      int cached = n - todo.size();
      LOG.info("{} rows, {} already in the cache {}, {} to ask {} ({}, {} scoring, {} in flight)", n, cached,
          cache.file(), todo.size(), job.endpointHost(), job.calls().client().model(), question.scoring().cli(),
          job.calls().concurrency());
      Fetch fetch = new Fetch(job, client, rows, keys, answers, cache, todo);
      fetch.runAll(cached);
      LabelMeta meta = LabelMeta.of(job, rows, answers, matcher);
      TeacherOutputWriter.writeJsonlLogits(rows.ids(), question.labels(), meta.logits(), meta.toMap(), output.out(),
          job.source().idColumn() != null); // an id column's values are free-form ids, as llkd train --id-column reads them
      return new Result(n, cached, fetch.calls.get(), job.calls().retrier().retries().get(), fetch.tokens.get(),
          output.out(), meta);
    }
  }

  /** The paid part: bounded concurrency, progress, stop on the first failure. */
  private static final class Fetch {
    final LabelJob job;
    final OpenAiClient client;
    final InputRows rows;
    final String[] keys;
    final Answer[] answers;
    final AnswerCache cache;
    final List<Integer> todo;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong tokens = new AtomicLong();
    final AtomicInteger started = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    volatile boolean stopped;

    Fetch(LabelJob job, OpenAiClient client, InputRows rows, String[] keys, Answer[] answers, AnswerCache cache,
        List<Integer> todo) {
      this.job = job;
      this.client = client;
      this.rows = rows;
      this.keys = keys;
      this.answers = answers;
      this.cache = cache;
      this.todo = todo;
    }

    void runAll(int cached) {
      if (todo.isEmpty()) return;
      int n = answers.length;
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(job.calls().concurrency(), todo.size()), r -> {
        Thread t = new Thread(r, "llkd-label");
        t.setDaemon(true);
        return t;
      });
      try (Progress progress = Progress.start("labelling", n, cached, " rows")) {
        for (int i : todo) {
          pool.execute(() -> one(i, progress, t0));
        }
        pool.shutdown();
        while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
          // waiting for the rows in flight
        }
      } catch (InterruptedException e) {
        pool.shutdownNow();
        Thread.currentThread().interrupt();
        throw new Stopped("interrupted; the answers so far are in " + cache.file() + ", rerun to resume", e);
      }
      Throwable f = failure.get();
      if (f != null) {
        throw new Stopped(ApiKey.redact(job.calls().client().apiKey(), f.getMessage()) + "; " + calls.get()
            + " answers of this run are in " + cache.file() + ": rerun the same command to resume without paying for them "
            + "again", null);
      }
      if (stopped) {
        throw new Stopped("stopped after " + job.calls().stopAfterCalls() + " calls as asked (--stop-after-calls); "
            + "the answers are in " + cache.file() + ": rerun without it to resume", null);
      }
    }

    private void one(int i, Progress progress, long t0) {
      if (failure.get() != null || stopped) return;
      if (job.calls().stopAfterCalls() != null && started.incrementAndGet() > job.calls().stopAfterCalls()) {
        stopped = true;
        return;
      }
      try {
        String prompt = job.question().template().render(rows.texts().get(i), job.question().labels());
        String what = job.source().input() + " row " + i + " (id " + rows.ids().get(i) + ")";
        Answer a = ask(prompt, what);
        cache.put(keys[i], a);
        answers[i] = a;
        long c = calls.incrementAndGet();
        long tok = tokens.addAndGet(a.totalTokens());
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = c / Math.max(secs, 1e-3);
        long left = todo.size() - c;
        progress.step();
        progress.setExtraMessage(String.format(java.util.Locale.ROOT, " %.1f rows/s, ETA %s, %d tokens", rate,
            eta(left / rate), tok));
      } catch (EndpointException | RuntimeException e) {
        failure.compareAndSet(null, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, e);
      }
    }

    private Answer ask(String prompt, String what) throws EndpointException, InterruptedException {
      if (job.question().scoring() == Scoring.FIRST_TOKEN) {
        return job.calls().retrier().call(what, () -> client.firstToken(prompt, job.question().topLogprobs()));
      }
      long[] usage = new long[2];
      List<OpenAiClient.Echo> echoes;
      try {
        List<String> labels = job.question().labels();
        echoes = job.calls().retrier().call(what, () -> client.echo(SequenceScorer.prompts(prompt, labels), usage));
      } catch (EndpointException e) {
        if (e.status() >= 400 && e.status() < 500 && !EndpointException.retryableStatus(e.status())) {
          throw new IllegalArgumentException("--scoring sequence: the endpoint " + job.endpointHost() + " does not offer "
              + "prompt log-probabilities (POST /completions with echo and logprobs was refused: " + e.getMessage()
              + "); expected an OpenAI-compatible completions endpoint with echo (e.g. vLLM); use --scoring first-token", e);
        }
        throw e;
      }
      try {
        double[] logLikelihoods = SequenceScorer.logLikelihoods(prompt, job.question().labels(), echoes);
        return new Answer(List.of(), logLikelihoods, usage[0], usage[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + ": " + e.getMessage() + "; --scoring sequence needs an endpoint "
            + "whose completions echo the prompt with token log-probabilities; use --scoring first-token", e);
      }
    }

    private static String eta(double seconds) {
      if (!Double.isFinite(seconds)) return "?";
      long s = Math.round(seconds);
      return String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
  }
}
