package org.llkd.experiments.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.llkd.experiments.product.PredictionWriter;
import org.llkd.experiments.product.TextFileReader;
import org.llkd.experiments.product.TextRow;
import org.llkd.models.classifier.Prediction;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd predict}: classifies every row of a file (or stdin) with a model directory, streaming. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {"Classify texts with a trained model directory: one output row per input row, in input order "
        + "(id, predicted label, the probability of every label).",
        "Streams in batches (bounded memory for any input size); texts longer than the model's maxLength tokens are "
        + "truncated. Throughput (texts/s) goes to stderr. Empty input gives empty output (csv: the header only).",
        "An empty or whitespace-only text is classified like any text; blank lines are not rows. If the input turns out "
        + "bad midway, --output FILE is not written at all, and on stdout the last line is 'llkd predict: FAILED after "
        + "N rows ...' (exit 2)."})
public final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelDirectoryOption model = new ModelDirectoryOption();

  @Option(names = "--input", required = true, description = "Input file (.csv, .tsv, .jsonl, .txt) or - for stdin.")
  String input;

  @Option(names = "--output", defaultValue = "-", description = "Output file or - for stdout (default: ${DEFAULT-VALUE}); a file is written atomically.")
  String output;

  @Option(names = "--format", defaultValue = "jsonl", description = "Output format: jsonl or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--batch-size", defaultValue = "32", description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin InputColumnOptions columns = new InputColumnOptions();

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  @Override
  public Integer call() throws IOException {
    PredictionWriter.Format outFormat = switch (format) {
      case "jsonl" -> PredictionWriter.Format.JSONL;
      case "csv" -> PredictionWriter.Format.CSV;
      default -> throw new IllegalArgumentException("--format: expected jsonl or csv, found '" + format + "'");
    };
    if (batchSize < 1 || batchSize > 4096) throw new IllegalArgumentException("--batch-size: expected 1..4096, found " + batchSize);
    try (TextClassifier clf = runtime.open(model.dir, batchSize)) {
      long start = System.nanoTime();
      long[] count = new long[1];
      if ("-".equals(output)) {
        OutputStream out = System.out;
        boolean[] started = new boolean[1];
        try {
          run(clf, out, outFormat, count, true, started);
        } catch (RuntimeException | IOException e) {
          if (started[0]) { // rows already went out: say so where the reader of stdout looks last
            System.out.println("llkd predict: FAILED after " + count[0] + " rows; the output above is incomplete: "
                + String.valueOf(e.getMessage()).replace('\n', ' '));
            System.out.flush();
          }
          throw e;
        }
      } else {
        AtomicFiles.write(Path.of(output), out -> run(clf, out, outFormat, count, false, new boolean[1]));
      }
      double secs = (System.nanoTime() - start) / 1e9;
      PrintWriter err = spec.commandLine().getErr();
      err.printf("llkd predict: %d texts in %.1f s (%.1f texts/s, runtime %s, batch %d, threads %d)%n", count[0], secs,
          count[0] / Math.max(secs, 1e-9), clf.runtimeName(), batchSize, runtime.threads());
      err.flush();
    }
    return 0;
  }

  private void run(TextClassifier clf, OutputStream out, PredictionWriter.Format f, long[] count, boolean flushEach,
      boolean[] started) throws IOException {
    try (TextFileReader in = TextFileReader.open(input, columns.format(), columns.columns(false));
         PredictionWriter w = new PredictionWriter(out, f, clf.labels())) {
      started[0] = f == PredictionWriter.Format.CSV; // the header goes out (at the latest when w closes)
      List<TextRow> batch = new ArrayList<>(batchSize);
      while (true) {
        boolean more = in.hasNext();
        if (more) batch.add(in.next());
        if (batch.size() == batchSize || (!more && !batch.isEmpty())) {
          List<String> texts = new ArrayList<>(batch.size());
          for (TextRow r : batch) texts.add(r.text());
          List<Prediction> ps = clf.predict(texts);
          for (int i = 0; i < batch.size(); i++) w.write(batch.get(i).id(), ps.get(i));
          count[0] += batch.size();
          started[0] = true;
          batch.clear();
          if (flushEach) w.flush();
        }
        if (!more) break;
      }
      w.flush();
    } catch (UncheckedIOException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
