package org.llkd.experiments.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.llkd.experiments.serve.PredictionServer;
import org.llkd.experiments.serve.ServeConfig;
import org.llkd.models.classifier.TextClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd serve}: a model directory behind HTTP until SIGTERM / Ctrl-C; API in docs/serving.md. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {"Serve a model directory over HTTP (JSON): POST /v1/predict with {\"text\": \"...\"} or "
        + "{\"texts\": [...]} answers {\"predictions\": [{\"label\", \"probabilities\"}, ...]} in input order; "
        + "GET /health; GET /metrics (Prometheus text).",
        "Concurrent requests are merged into batches of up to --max-batch texts (waiting at most --max-wait-ms); more "
        + "than --queue texts waiting answers 503. 400: malformed JSON or fields; 413: over --max-body-bytes or --max-texts.",
        "SIGTERM or Ctrl-C stops gracefully: new requests get 503, admitted ones are answered (up to --grace seconds).",
        "API: docs/serving.md."})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelDirectoryOption model = new ModelDirectoryOption();

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}, "
      + "this machine only; 0.0.0.0 exposes it to the network).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  @Option(names = "--max-batch", defaultValue = "32", description = "B: texts per forward batch (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--max-wait-ms", defaultValue = "5", description = "W: how long a request waits for others to share its batch (default: ${DEFAULT-VALUE}).")
  int maxWaitMs;

  @Option(names = "--queue", defaultValue = "1024", description = "Texts admitted and not yet answered before 503 (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--max-texts", defaultValue = "256", description = "Texts per request before 413 (default: ${DEFAULT-VALUE}).")
  int maxTexts;

  @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Request body bytes before 413 (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(names = "--http-threads", defaultValue = "64", description = "Threads reading requests and waiting for answers (default: ${DEFAULT-VALUE}).")
  int httpThreads;

  @Option(names = "--workers", defaultValue = "1", description = "Batches computed at once (nd4j: one student's buffers each, "
      + "at most --threads) (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--grace", defaultValue = "30", description = "Seconds a shutdown waits for admitted requests (default: ${DEFAULT-VALUE}).")
  int grace;

  @Override
  public Integer call() throws InterruptedException {
    ServeConfig cfg = new ServeConfig(new ServeConfig.Http(host, port, httpThreads, grace),
        new ServeConfig.Batching(maxBatch, maxWaitMs, workers), new ServeConfig.Limits(queue, maxTexts, maxBodyBytes));
    try (TextClassifier clf = runtime.open(model.dir, maxBatch)) {
      PredictionServer server = PredictionServer.start(cfg, model(clf));
      Thread hook = new Thread(server::stop, "llkd-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("llkd serve: listening on http://%s:%d (model %s, runtime %s, %d labels, batch %d, wait %d ms, queue %d, threads %d)%n",
          host, server.port(), model.dir, clf.runtimeName(), clf.labels().size(), maxBatch, maxWaitMs, queue, runtime.threads());
      out.flush();
      server.awaitStop();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // stopped by the hook itself: the JVM is already exiting
      }
    }
    return 0;
  }

  /** The server's view of a classifier. */
  static PredictionServer.Model model(TextClassifier clf) {
    return new PredictionServer.Model() {
      @Override public List<String> labels() { return clf.labels(); }

      @Override public double[][] probabilities(List<String> texts) { return clf.probabilities(texts); }

      @Override public String runtime() { return clf.runtimeName(); }
    };
  }
}
