package org.llkd.experiments.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.tokenizer.WordPieceTokenizer;

/**
 * Bounded loopback load test of {@code llkd serve}: starts a {@link PredictionServer} on 127.0.0.1 (ephemeral port,
 * default batching B 32 / W 5 ms), then for each client count runs that many closed-loop clients, each sending one
 * text per request and waiting for the answer, until {@code seconds} or {@code maxRequests} per level, whichever comes
 * first; then stops the server. Records texts/s and p50/p99 latency per level, and GET /health at the highest level
 * (the HTTP server's own cost). Writes {@code serve-load.csv} and {@code serve-load.md} (machine, commit) to {@code out}.
 *
 * <pre>scripts/serve-load.sh [--model DIR] [--out results/bench/serve] [--clients 1,8,32] [--seconds 20] [--max-requests 3000]</pre>
 * Without --model: a standard-tier-shaped student (MiniLM H 384, 2 layers, 6 classes, 64 tokens) with random weights,
 * which costs what a trained one costs.
 */
public final class ServeLoad {
  /** One level's result. */
  record Level(String endpoint, int clients, int requests, int errors, double seconds, double textsPerSecond, double p50Ms,
      double p99Ms, double meanBatch) {
    String csv() {
      return String.format(Locale.ROOT, "%s,%d,%d,%d,%.2f,%.1f,%.2f,%.2f,%.2f", endpoint, clients, requests, errors, seconds,
          textsPerSecond, p50Ms, p99Ms, meanBatch);
    }
  }

  static final String CSV_HEADER = "endpoint,clients,requests,errors,seconds,texts_per_s,p50_ms,p99_ms,mean_batch";

  private static final String[] TEXTS = {
      "I love this", "the invoice was charged twice and nobody answers my emails",
      "what a wonderful surprise, thank you all so much for coming", "i feel a bit lost today",
      "this is the worst service I have ever had, I am furious", "the package arrived on time",
      "I am scared of what the results will show tomorrow", "honestly not sure how I feel about the ending of that film",
      "we won the match!", "they cancelled the concert again without telling anyone, so annoying",
      "a calm and quiet evening by the lake with old friends and good food", "ok"};

  private ServeLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    Path out = Path.of(a.getOrDefault("--out", "results/bench/serve"));
    int[] clients = Arrays.stream(a.getOrDefault("--clients", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
    double seconds = Double.parseDouble(a.getOrDefault("--seconds", "20"));
    int maxRequests = Integer.parseInt(a.getOrDefault("--max-requests", "3000"));
    Path model;
    String modelNote;
    if (a.containsKey("--model")) {
      model = Path.of(a.get("--model"));
      modelNote = "model directory " + model;
    } else {
      model = Files.createTempDirectory("serve-load").resolve("model");
      writeStandardShapedModel(model);
      modelNote = "standard-tier-shaped student with random weights (MiniLM vocabulary, H 384, 2 layers, 12 heads, F 1536, "
          + "6 classes, maxLength 64, FLOAT)";
    }
    String loadBefore = loadAverage();
    String commit = "`" + git("rev-parse", "HEAD") + "`" + (git("status", "--porcelain").isEmpty() ? " (clean tree)" : " (dirty tree)"); // before writing
    ServeConfig cfg = ServeConfig.defaults(0);
    List<Level> levels = new ArrayList<>();
    try (TextClassifier clf = TextClassifier.load(model, TextClassifier::nd4j, cfg.batching().maxBatch(), 1);
         PredictionServer server = PredictionServer.start(cfg, new PredictionServer.Model() {
           @Override public List<String> labels() { return clf.labels(); }

           @Override public double[][] probabilities(List<String> texts) { return clf.probabilities(texts); }

           @Override public String runtime() { return clf.runtimeName(); }
         })) {
      URI base = URI.create("http://127.0.0.1:" + server.port());
      run(server, base, "predict", 4, 2.0, 100); // warm-up: JIT, ND4J buffers for every batch shape
      for (int c : clients) {
        Level l = run(server, base, "predict", c, seconds, maxRequests);
        levels.add(l);
        System.err.println("serve-load: " + l.csv());
      }
      int top = Arrays.stream(clients).max().orElse(1);
      Level h = run(server, base, "health", top, Math.min(seconds, 5), maxRequests);
      levels.add(h);
      System.err.println("serve-load: " + h.csv());
    }
    write(out, levels, modelNote, commit, loadBefore, seconds, maxRequests);
  }

  /** {@code clients} closed-loop clients on {@code endpoint} until {@code seconds} or {@code maxRequests} in all. */
  static Level run(PredictionServer server, URI base, String endpoint, int clients, double seconds, int maxRequests)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    AtomicInteger budget = new AtomicInteger(maxRequests);
    AtomicInteger errors = new AtomicInteger();
    long[][] lat = new long[clients][];
    int[] counts = new int[clients];
    long batches0 = server.metrics().batches(), texts0 = server.metrics().batchedTexts();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    Thread[] ts = new Thread[clients];
    for (int k = 0; k < clients; k++) {
      int id = k;
      ts[k] = new Thread(() -> {
        long[] mine = new long[16];
        int n = 0;
        int i = id;
        while (System.nanoTime() < end && budget.getAndDecrement() > 0) {
          String text = TEXTS[i++ % TEXTS.length];
          HttpRequest req = endpoint.equals("health") ? HttpRequest.newBuilder(base.resolve("/health")).GET().build()
              : HttpRequest.newBuilder(base.resolve("/v1/predict")).header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"" + text + "\"}")).build();
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) errors.incrementAndGet();
          } catch (IOException e) {
            errors.incrementAndGet();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          if (n == mine.length) mine = Arrays.copyOf(mine, n * 2);
          mine[n++] = System.nanoTime() - t0;
        }
        lat[id] = mine;
        counts[id] = n;
      }, "serve-load-client-" + k);
      ts[k].start();
    }
    for (Thread t : ts) t.join();
    double secs = (System.nanoTime() - start) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int p = 0;
    for (int k = 0; k < clients; k++) {
      System.arraycopy(lat[k], 0, all, p, counts[k]);
      p += counts[k];
    }
    Arrays.sort(all);
    long batches = server.metrics().batches() - batches0, texts = server.metrics().batchedTexts() - texts0;
    int ok = total - errors.get();
    return new Level(endpoint, clients, total, errors.get(), secs, ok / secs, percentile(all, 0.50) / 1e6,
        percentile(all, 0.99) / 1e6, batches == 0 ? 0 : (double) texts / batches);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static void write(Path out, List<Level> levels, String modelNote, String commit, String loadBefore, double seconds,
      int maxRequests) throws IOException {
    Files.createDirectories(out);
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (Level l : levels) csv.append(l.csv()).append('\n');
    Files.writeString(out.resolve("serve-load.csv"), csv.toString(), StandardCharsets.UTF_8);
    StringBuilder md = new StringBuilder("# llkd serve: loopback load test\n\n");
    md.append("Written by `scripts/serve-load.sh` (`org.llkd.experiments.serve.ServeLoad`) on ").append(Instant.now()).append(".\n\n");
    md.append("- commit: ").append(commit).append("\n");
    md.append("- machine: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" processors, Java ")
        .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name")).append(' ')
        .append(System.getProperty("os.arch")).append("; shared with other jobs while it ran (load average before: ")
        .append(loadBefore).append("; after: ").append(loadAverage()).append("), so the numbers are indicative\n");
    md.append("- model: ").append(modelNote).append("; runtime nd4j, one worker\n");
    md.append("- server: 127.0.0.1, ephemeral port, batching B 32 / W 5 ms, queue 1024 texts; closed-loop clients, one text per "
        + "request, each level bounded by ").append(seconds).append(" s or ").append(maxRequests).append(" requests\n\n");
    md.append("| endpoint | clients | requests | errors | texts/s | p50 ms | p99 ms | mean batch |\n|---|---|---|---|---|---|---|---|\n");
    for (Level l : levels) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.2f | %.2f | %.2f |%n", l.endpoint(), l.clients(),
          l.requests(), l.errors(), l.textsPerSecond(), l.p50Ms(), l.p99Ms(), l.meanBatch()));
    }
    md.append("\n`health` rows: GET /health (no model), i.e. what the HTTP server itself costs per request; `mean batch`: texts "
        + "per forward (micro-batching of concurrent requests).\n");
    Files.writeString(out.resolve("serve-load.md"), md.toString(), StandardCharsets.UTF_8);
    System.err.println("serve-load: wrote " + out.resolve("serve-load.csv") + " and serve-load.md");
  }

  private static void writeStandardShapedModel(Path dir) {
    StudentConfig m = StudentConfig.miniLmL6(6);
    StudentConfig c = m.withNumLayers(2).withDropout(0.0, 0.0);
    StudentTransformer s = StudentTransformer.initRandom(c, 1234L);
    byte[] tok;
    try (WordPieceTokenizer t = WordPieceTokenizer.miniLm()) {
      tok = t.json();
    }
    ModelDirectory.write(dir, new ModelBundle(c, s.params(), tok, List.of("sadness", "joy", "love", "anger", "fear", "surprise"),
        64, Map.of("fixture", "ServeLoad random weights")));
  }

  private static String git(String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of("git"));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 ? s : "(git failed: " + s + ")";
    } catch (IOException | InterruptedException e) {
      return "(git unavailable: " + e.getMessage() + ")";
    }
  }

  private static String cpu() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).strip();
      }
    } catch (IOException e) {
      return "(cpu unknown: " + e.getMessage() + ")";
    }
    return "(cpu unknown)";
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (!List.of("--model", "--out", "--clients", "--seconds", "--max-requests").contains(k) || i + 1 >= args.length) {
        throw new IllegalArgumentException("serve-load: unknown option or missing value '" + k + "'; expected --model DIR, "
            + "--out DIR, --clients 1,8,32, --seconds S, --max-requests N");
      }
      m.put(k, args[++i]);
    }
    return m;
  }
}
