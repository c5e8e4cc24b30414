package org.llkd.experiments.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.product.ProductFixtures;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.encoder.Pooling;

/** llkd serve on 127.0.0.1 (ephemeral ports): answers, micro-batching, overload, bad requests, graceful shutdown. */
class PredictionServerTest {
  @TempDir static Path tmp;
  private static TextClassifier clf;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> TEXTS = List.of("I loved it", "awful plot", "it was ok", "great music",
      "the invoice was charged twice and nobody answers", "", "   ", "what a wonderful surprise, thank you so much",
      "i feel a bit lost today", "we won!");

  @BeforeAll static void load() {
    clf = TextClassifier.load(ProductFixtures.modelDir(tmp.resolve("model"), Pooling.MEAN, 7L));
  }

  @AfterAll static void close() { clf.close(); }

  /** The classifier as the server sees it; {@code gate} (nullable) holds every batch until it opens. */
  private static PredictionServer.Model model(CountDownLatch gate) {
    return new PredictionServer.Model() {
      @Override public List<String> labels() { return clf.labels(); }

      @Override public double[][] probabilities(List<String> texts) {
        if (gate != null) {
          try {
            if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }
        return clf.probabilities(texts);
      }

      @Override public String runtime() { return clf.runtimeName(); }
    };
  }

  private static ServeConfig config(int maxBatch, int waitMs, int queue, int maxTexts, int maxBody) {
    return new ServeConfig(ServeConfig.Http.loopback(0), new ServeConfig.Batching(maxBatch, waitMs, 1),
        new ServeConfig.Limits(queue, maxTexts, maxBody));
  }

  private static HttpResponse<String> post(PredictionServer s, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/predict"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(PredictionServer s, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> postAsync(PredictionServer s, String body) {
    return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/predict"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String textsBody(List<String> texts) throws IOException {
    return JSON.writeValueAsString(java.util.Map.of("texts", texts));
  }

  /** Every prediction of a 200 answer equals the classifier's own, label by label, in input order. */
  private static void assertAnswers(List<String> texts, HttpResponse<String> r) throws IOException {
    assertEquals(200, r.statusCode(), r.body());
    JsonNode preds = JSON.readTree(r.body()).get("predictions");
    assertEquals(texts.size(), preds.size(), r.body());
    double[][] expected = clf.probabilities(texts);
    for (int i = 0; i < texts.size(); i++) {
      JsonNode p = preds.get(i);
      List<String> keys = new ArrayList<>();
      p.get("probabilities").fieldNames().forEachRemaining(keys::add);
      assertEquals(clf.labels(), keys, "labels in model order");
      int best = 0;
      for (int c = 0; c < expected[i].length; c++) {
        assertEquals(expected[i][c], p.get("probabilities").get(clf.labels().get(c)).asDouble(), 1e-5, "text " + i + " '" + texts.get(i) + "'");
        if (expected[i][c] > expected[i][best]) best = c;
      }
      assertEquals(clf.labels().get(best), p.get("label").asText());
    }
  }

  private static int queueTexts(PredictionServer s) throws Exception {
    return JSON.readTree(get(s, "/health").body()).get("queueTexts").asInt();
  }

  private static void awaitQueue(PredictionServer s, int texts) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (queueTexts(s) != texts) {
      if (System.nanoTime() > end) throw new AssertionError("queue never reached " + texts + " texts, at " + queueTexts(s));
      Thread.sleep(10);
    }
  }

  @Test void concurrentClientsGetTheClassifiersAnswersInBatches() throws Exception {
    try (PredictionServer s = PredictionServer.start(config(32, 50, 1024, 64, 1 << 20), model(null))) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
          int shift = k;
          fs.add(pool.submit(() -> {
            for (int j = 0; j < 4; j++) {
              int from = (shift + j) % TEXTS.size();
              List<String> texts = j % 2 == 0 ? List.of(TEXTS.get(from)) : TEXTS.subList(0, 1 + from);
              String body = texts.size() == 1 && j == 0 ? JSON.writeValueAsString(java.util.Map.of("text", texts.get(0)))
                  : textsBody(texts);
              assertAnswers(texts, post(s, body));
            }
            return null;
          }));
        }
        for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      String metrics = get(s, "/metrics").body();
      assertTrue(metrics.contains("llkd_requests_total{endpoint=\"predict\",status=\"200\"} 64.0"), metrics);
      assertTrue(metrics.contains("llkd_request_duration_seconds_bucket{endpoint=\"predict\",le=\"0.001\"}"), metrics);
      double batches = metric(metrics, "llkd_batch_size_count");
      assertTrue(batches >= 1 && batches < 64, "64 concurrent requests merged into fewer batches, found " + batches);
      assertTrue(metric(metrics, "llkd_texts_total") > 64, metrics);
      JsonNode h = JSON.readTree(get(s, "/health").body());
      assertEquals("ok", h.get("status").asText());
      assertEquals(0, h.get("queueTexts").asInt());
    }
  }

  private static double metric(String scrape, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(scrape);
    assertTrue(m.find(), name + " in\n" + scrape);
    return Double.parseDouble(m.group(2));
  }

  @Test void overloadGets503AndRecovers() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (PredictionServer s = PredictionServer.start(config(4, 0, 4, 4, 1 << 20), model(gate))) {
      List<String> a = TEXTS.subList(0, 2), b = TEXTS.subList(2, 4);
      CompletableFuture<HttpResponse<String>> ra = postAsync(s, textsBody(a));
      awaitQueue(s, 2);
      CompletableFuture<HttpResponse<String>> rb = postAsync(s, textsBody(b));
      awaitQueue(s, 4); // the queue is full: A computing behind the gate, B waiting
      HttpResponse<String> busy = post(s, textsBody(List.of("one more")));
      assertEquals(503, busy.statusCode(), busy.body());
      assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
      assertTrue(JSON.readTree(busy.body()).get("error").asText().contains("server busy"), busy.body());
      gate.countDown();
      assertAnswers(a, ra.get(30, TimeUnit.SECONDS));
      assertAnswers(b, rb.get(30, TimeUnit.SECONDS));
      assertAnswers(List.of("one more"), post(s, textsBody(List.of("one more"))));
      assertTrue(get(s, "/metrics").body().contains("llkd_requests_total{endpoint=\"predict\",status=\"503\"} 1.0"));
    }
  }

  @Test void badRequestsGetTheirCodesAndSayWhatWasExpected() throws Exception {
    try (PredictionServer s = PredictionServer.start(config(32, 0, 64, 3, 1024), model(null))) {
      String[][] cases = {
          {"{\"text\": \"unterminated", "400", "malformed JSON"},
          {"", "400", "empty body"},
          {"[\"a\"]", "400", "expected a JSON object"},
          {"{\"txt\": \"a\"}", "400", "unknown field 'txt'"},
          {"{}", "400", "no 'text' or 'texts' field"},
          {"{\"text\": \"a\", \"texts\": [\"b\"]}", "400", "both 'text' and 'texts'"},
          {"{\"text\": 3}", "400", "'text': expected a string, found a number"},
          {"{\"texts\": \"a\"}", "400", "'texts': expected a list of strings, found a string"},
          {"{\"texts\": [\"a\", null]}", "400", "'texts'[1]: expected a string, found null"},
          {"{\"text\": \"a\", \"text\": \"b\"}", "400", "Duplicate field 'text'"},
          {"{\"texts\": [\"a\", \"b\", \"c\", \"d\"]}", "413", "holds 4 texts; the limit is 3"},
          {"{\"text\": \"" + "x".repeat(2000) + "\"}", "413", "limit is 1024"}};
      for (String[] c : cases) {
        HttpResponse<String> r = post(s, c[0]);
        assertEquals(Integer.parseInt(c[1]), r.statusCode(), c[0] + " -> " + r.body());
        JsonNode e = JSON.readTree(r.body());
        assertTrue(e.get("error").asText().contains(c[2]), c[0] + " -> " + r.body());
        assertEquals(Integer.parseInt(c[1]), e.get("status").asInt());
      }
      HttpResponse<String> wrongMethod = get(s, "/v1/predict");
      assertEquals(405, wrongMethod.statusCode());
      assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
      assertEquals(404, get(s, "/v2/predict").statusCode());
      assertAnswers(List.of(), post(s, "{\"texts\": []}")); // an empty list is a valid request with an empty answer
      assertAnswers(List.of("still fine"), post(s, "{\"text\": \"still fine\"}"));
      String metrics = get(s, "/metrics").body();
      assertTrue(metrics.contains("llkd_requests_total{endpoint=\"predict\",status=\"400\"} 10.0"), metrics);
      assertTrue(metrics.contains("llkd_requests_total{endpoint=\"predict\",status=\"413\"} 2.0"), metrics);
    }
  }

  @Test void stopAnswersAdmittedRequestsRefusesNewOnesThenCloses() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        PredictionServer.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      stopAnswersAdmittedRequestsRefusesNewOnesThenCloses(logs);
    } finally {
      logger.detachAppender(logs);
    }
  }

  private void stopAnswersAdmittedRequestsRefusesNewOnesThenCloses(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    PredictionServer s = PredictionServer.start(config(2, 0, 64, 8, 1 << 20), model(gate));
    int port = s.port();
    List<String> a = TEXTS.subList(0, 2), b = TEXTS.subList(4, 7);
    CompletableFuture<HttpResponse<String>> ra = postAsync(s, textsBody(a));
    CompletableFuture<HttpResponse<String>> rb = postAsync(s, textsBody(b));
    awaitQueue(s, 5);
    Thread stopper = new Thread(s::stop, "test-stop");
    stopper.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (get(s, "/health").statusCode() != 503) {
      assertTrue(System.nanoTime() < end, "/health never reported draining");
      Thread.sleep(10);
    }
    assertEquals("draining", JSON.readTree(get(s, "/health").body()).get("status").asText());
    HttpResponse<String> late = post(s, textsBody(List.of("too late")));
    assertEquals(503, late.statusCode(), late.body());
    assertTrue(late.body().contains("shutting down"), late.body());
    assertTrue(stopper.isAlive(), "stop() waits for the admitted requests");
    gate.countDown();
    assertAnswers(a, ra.get(30, TimeUnit.SECONDS));
    assertAnswers(b, rb.get(30, TimeUnit.SECONDS));
    stopper.join(30_000);
    assertTrue(!stopper.isAlive(), "stop() returned");
    // the operator's two lines: what the drain waits for, and what the server did
    List<String> lines = logs.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
    assertTrue(lines.contains("llkd serve: draining: 2 requests in flight"), lines.toString());
    String last = lines.get(lines.size() - 1);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("llkd serve: stopped after \\d+\\.\\d s, (\\d+) requests "
        + "served").matcher(last);
    assertTrue(m.matches(), lines.toString());
    assertTrue(Integer.parseInt(m.group(1)) >= 3, "at least the two admitted requests and the refused one: " + last);
    assertThrows(IOException.class, () -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .GET().timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  @Test void serveRefusesInconsistentLimitsNamingTheOption() {
    ProductFixtures.Run r = ProductFixtures.cli("serve", "--model", tmp.resolve("model").toString(), "--port", "0",
        "--queue", "8", "--max-texts", "16");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--max-texts: expected 1..8, found 16"), r.err());
  }
}
