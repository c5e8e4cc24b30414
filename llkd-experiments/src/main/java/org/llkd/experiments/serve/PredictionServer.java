package org.llkd.experiments.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.llkd.models.label.PseudoLabel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classifier behind HTTP (the JDK's {@code com.sun.net.httpserver}; docs/serving.md has the API and why not Javalin):
 * <pre>
 *   POST /v1/predict  {"text": "..."} or {"texts": [...]}  -> 200 {"predictions": [{"label", "probabilities"}, ...]}
 *                     400 malformed JSON or wrong fields, 413 body or text count over the limit,
 *                     503 queue full or shutting down (Retry-After: 1), 500 the model failed
 *   GET  /health      200 {"status": "ok", ...}; 503 {"status": "draining"} once stop() began
 *   GET  /metrics     Prometheus text (ServeMetrics)
 * </pre>
 * Requests wait in a {@link MicroBatcher}; {@link #stop()} refuses new predict requests, answers every admitted one,
 * then closes the listener.
 */
public final class PredictionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PredictionServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the server needs of a model: labels (column order) and batch probabilities. */
  public interface Model {
    List<String> labels();

    double[][] probabilities(List<String> texts);

    /** Shown by /health ("nd4j", "onnx"). */
    String runtime();
  }

  private final ServeConfig config;
  private final Model model;
  private final ServeMetrics metrics;
  private final MicroBatcher batcher;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();          // requests being handled, any endpoint
  private final AtomicInteger predictsInFlight = new AtomicInteger();  // predict requests admitted, not yet answered
  private final java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
  private final long startedNanos = System.nanoTime();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private PredictionServer(ServeConfig config, Model model) throws IOException {
    this.config = config;
    this.model = model;
    ServeConfig.Batching b = config.batching();
    this.batcher = new MicroBatcher(model::probabilities, b.maxBatch(), b.maxWaitMillis(), config.limits().queueCapacity(),
        b.workers(), n -> this.metricsBatch(n));
    this.metrics = new ServeMetrics(batcher::pending);
    this.http = HttpServer.create(new InetSocketAddress(config.http().host(), config.http().port()), 0);
    AtomicInteger n = new AtomicInteger();
    this.httpThreads = Executors.newFixedThreadPool(config.http().httpThreads(), r -> {
      Thread t = new Thread(r, "llkd-http-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(httpThreads);
    http.createContext("/", this::handle);
  }

  private void metricsBatch(int n) {
    metrics.batch(n);
  }

  /** Binds and starts serving; {@link #port()} is the bound port (useful with port 0). */
  public static PredictionServer start(ServeConfig config, Model model) {
    try {
      PredictionServer s = new PredictionServer(config, model);
      s.http.start();
      return s;
    } catch (java.net.BindException e) {
      ServeConfig.Http h = config.http();
      throw new IllegalArgumentException("cannot listen on " + h.host() + ":" + h.port() + " (" + e.getMessage()
          + "); choose another --port or --host", e);
    } catch (IOException e) {
      ServeConfig.Http h = config.http();
      throw new IllegalStateException("cannot start the HTTP server on " + h.host() + ":" + h.port() + ": " + e.getMessage(), e);
    }
  }

  public int port() { return http.getAddress().getPort(); }

  /** The meters (load test, tests). */
  ServeMetrics metrics() { return metrics; }

  public String host() { return config.http().host(); }

  /** Blocks until {@link #stop()} has finished. */
  public void awaitStop() throws InterruptedException { stopped.await(); }

  /**
   * Graceful shutdown: new predict requests get 503, /health says draining, every admitted request is answered
   * (up to the grace period), then the listener closes. Idempotent; safe from a shutdown hook.
   */
  public void stop() {
    if (!draining.compareAndSet(false, true)) {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    long graceMs = TimeUnit.SECONDS.toMillis(config.http().shutdownGraceSeconds());
    long start = System.nanoTime();
    LOG.info("llkd serve: draining: {} requests in flight", predictsInFlight.get());
    try {
      batcher.shutdown();
      if (!batcher.awaitTermination(graceMs)) {
        LOG.warn("llkd serve: {} texts still unanswered after the {} s grace period", batcher.pending(),
            config.http().shutdownGraceSeconds());
      }
      // answers computed: wait (within the grace) for the handler threads to write them
      while (inFlight.get() > 0 && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(graceMs)) Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      http.stop(0);
      httpThreads.shutdown();
      LOG.info("llkd serve: stopped after {} s, {} requests served", String.format(java.util.Locale.ROOT, "%.1f",
          (System.nanoTime() - startedNanos) / 1e9), served.get());
      stopped.countDown();
    }
  }

  @Override public void close() { stop(); }

  /** An answer ready to send. */
  private record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
    static Answer json(int status, Object body) {
      try {
        return new Answer(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body), Map.of());
      } catch (IOException e) {
        throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
      }
    }

    static Answer error(int status, String message) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", message);
      m.put("status", status);
      return json(status, m);
    }

    Answer with(String header, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(header, value);
      return new Answer(status, contentType, body, h);
    }
  }

  private void handle(HttpExchange ex) {
    long t0 = System.nanoTime();
    String path = ex.getRequestURI().getPath();
    String endpoint = switch (path) {
      case "/v1/predict" -> "predict";
      case "/health" -> "health";
      case "/metrics" -> "metrics";
      default -> "other";
    };
    inFlight.incrementAndGet();
    try {
      Answer a;
      try {
        a = switch (endpoint) {
          case "predict" -> ex.getRequestMethod().equals("POST") ? predict(ex) : notAllowed(ex, "POST");
          case "health" -> ex.getRequestMethod().equals("GET") ? health() : notAllowed(ex, "GET");
          case "metrics" -> ex.getRequestMethod().equals("GET") ? metricsPage() : notAllowed(ex, "GET");
          default -> Answer.error(404, "no such endpoint " + path + "; expected POST /v1/predict, GET /health or GET /metrics");
        };
      } catch (HttpError e) {
        a = Answer.error(e.status, e.getMessage());
      } catch (IOException e) { // reading the body failed: the client went away
        LOG.debug("llkd serve: reading a request failed: {}", e.getMessage());
        a = Answer.error(400, "could not read the request body: " + e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("llkd serve: request failed", e);
        a = Answer.error(500, "internal error: " + e);
      }
      metrics.request(endpoint, a.status(), System.nanoTime() - t0); // before sending: a client that has its answer sees it counted
      served.incrementAndGet();
      send(ex, a);
    } finally {
      ex.close();
      inFlight.decrementAndGet();
    }
  }

  private static void send(HttpExchange ex, Answer a) {
    try {
      ex.getResponseHeaders().set("Content-Type", a.contentType());
      a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(a.body());
      }
    } catch (IOException e) { // the client is gone: nothing to answer
      LOG.debug("llkd serve: writing an answer failed: {}", e.getMessage());
    }
  }

  private static Answer notAllowed(HttpExchange ex, String allowed) {
    return Answer.error(405, ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + ": expected " + allowed).with("Allow", allowed);
  }

  private Answer predict(HttpExchange ex) throws IOException {
    predictsInFlight.incrementAndGet();
    try {
      return predictAdmitted(ex);
    } finally {
      predictsInFlight.decrementAndGet();
    }
  }

  private Answer predictAdmitted(HttpExchange ex) throws IOException {
    if (draining.get()) return Answer.error(503, "server shutting down").with("Retry-After", "1");
    List<String> texts = PredictRequest.parse(readBody(ex), config.limits().maxTextsPerRequest());
    double[][] p;
    if (texts.isEmpty()) {
      p = new double[0][];
    } else {
      CompletableFuture<double[][]> f;
      try {
        f = batcher.submit(texts);
      } catch (MicroBatcher.Rejected r) {
        return Answer.error(503, r.getMessage()).with("Retry-After", "1");
      }
      try {
        p = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Answer.error(503, "server shutting down");
      } catch (ExecutionException e) {
        LOG.error("llkd serve: prediction failed", e.getCause());
        return Answer.error(500, "prediction failed: " + e.getCause());
      }
    }
    List<String> labels = model.labels();
    List<Map<String, Object>> preds = new ArrayList<>(p.length);
    for (double[] row : p) {
      int best = PseudoLabel.argmax(row);
      Map<String, Double> probs = new LinkedHashMap<>();
      for (int c = 0; c < row.length; c++) {
        probs.put(labels.get(c), row[c]);
      }
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("label", labels.get(best));
      one.put("probabilities", probs);
      preds.add(one);
    }
    return Answer.json(200, Map.of("predictions", preds));
  }

  private Answer health() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", draining.get() ? "draining" : "ok");
    h.put("runtime", model.runtime());
    h.put("labels", model.labels());
    h.put("maxBatch", config.batching().maxBatch());
    h.put("queueCapacity", config.limits().queueCapacity());
    h.put("queueTexts", batcher.pending());
    return Answer.json(draining.get() ? 503 : 200, h);
  }

  private Answer metricsPage() {
    return new Answer(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** The body, refused with 413 beyond maxBodyBytes (by Content-Length up front, or while reading a chunked body). */
  private byte[] readBody(HttpExchange ex) throws IOException {
    int max = config.limits().maxBodyBytes();
    String len = ex.getRequestHeaders().getFirst("Content-Length");
    if (len != null) {
      long n;
      try {
        n = Long.parseLong(len.trim());
      } catch (NumberFormatException e) {
        throw new HttpError(400, "Content-Length '" + len + "' is not a number");
      }
      if (n > max) throw new HttpError(413, "body of " + n + " bytes; the limit is " + max + " (--max-body-bytes)");
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) throw new HttpError(413, "body over " + max + " bytes (--max-body-bytes)");
      return b;
    }
  }
}
