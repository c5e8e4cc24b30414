package org.llkd.experiments.teacher.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.product.TeacherCheck;
import org.llkd.experiments.product.TextFileReader;
import org.slf4j.LoggerFactory;

/** {@link LlmLabeler} against {@link FakeEndpoint} on 127.0.0.1: answers, faults, resume, secrets. */
class LlmLabelerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LABELS = List.of("sadness", "joy", "love");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T20:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  FakeEndpoint fake;
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    fake = new FakeEndpoint();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  /** A CSV of {@code n} texts "text number i" with a gold label column. */
  private Path input(int n, String gold) throws Exception {
    StringBuilder sb = new StringBuilder("text,label\n");
    for (int i = 0; i < n; i++) sb.append("\"text number ").append(i).append(", with a comma\",").append(gold).append('\n');
    Path p = dir.resolve("train.csv");
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    return p;
  }

  private Retrier retrier(int attempts) {
    return new Retrier(attempts, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30), sleeps::add,
        new AtomicLong());
  }

  private LabelJob job(Path input, Path out, Scoring scoring, int concurrency, Integer stopAfter, ApiKey key,
      Duration timeout, int attempts) {
    return new LabelJob(LabelJob.Source.of(input.toString(), "text"),
        new LabelJob.Question(LABELS, PromptTemplate.defaults(), scoring, 20),
        new LabelJob.Calls(new OpenAiClient.Settings(fake.base(), "fake-llm", timeout, key), concurrency,
            retrier(attempts), stopAfter),
        new LabelJob.Output(out, null, false), CLOCK);
  }

  private LabelJob job(Path input, Path out) {
    return job(input, out, Scoring.FIRST_TOKEN, 1, null, null, Duration.ofSeconds(10), 6);
  }

  private static double[] logits(Path out, int row) throws Exception {
    JsonNode n = JSON.readTree(Files.readAllLines(out).get(row + 1)).get("logits");
    double[] v = new double[n.size()];
    for (int k = 0; k < v.length; k++) v[k] = n.get(k).asDouble();
    return v;
  }

  private static JsonNode meta(Path out) throws Exception {
    return JSON.readTree(Files.readAllLines(out).get(0)).get("_meta");
  }

  /** Known answers: text i gets a fixed top list; text 2 has no token for "love". */
  private void knownAnswers() {
    fake.answers = t -> switch (t) {
      case "text number 0, with a comma" -> List.of(new TokenLogprob(" joy", Math.log(0.6)),
          new TokenLogprob(" sad", Math.log(0.2)), new TokenLogprob("Love", Math.log(0.1)), new TokenLogprob(" The", Math.log(0.05)));
      case "text number 1, with a comma" -> List.of(new TokenLogprob("sadness", Math.log(0.7)),
          new TokenLogprob("joy", Math.log(0.1)), new TokenLogprob(" love", Math.log(0.1)), new TokenLogprob(" JOY", Math.log(0.05)));
      default -> List.of(new TokenLogprob(" joy", Math.log(0.8)), new TokenLogprob(" sad", Math.log(0.1)),
          new TokenLogprob(" I", Math.log(0.04)));
    };
  }

  @Test
  void knownAnswersGiveTheirLogitsAndTheFileIsACheckedTeacherFile() throws Exception {
    knownAnswers();
    Path in = input(3, "joy");
    Path out = dir.resolve("teacher.jsonl");
    LlmLabeler.Result r = LlmLabeler.run(job(in, out));
    assertEquals(3, r.rows());
    assertEquals(3, r.calls());
    assertArrayEquals(new double[] {Math.log(0.2), Math.log(0.6), Math.log(0.1)}, logits(out, 0), 1e-12);
    assertArrayEquals(new double[] {Math.log(0.7), Math.log(0.15), Math.log(0.1)}, logits(out, 1), 1e-12);
    // row 2: love is not in the top list -> floor = ln 0.04 - ln 2
    assertArrayEquals(new double[] {Math.log(0.1), Math.log(0.8), Math.log(0.02)}, logits(out, 2), 1e-12);
    JsonNode m = meta(out);
    assertEquals("127.0.0.1:" + fake.base().getPort(), m.get("endpoint_host").asText());
    assertEquals("fake-llm", m.get("model").asText());
    assertEquals("first-token", m.get("scoring").asText());
    assertEquals(PromptTemplate.DEFAULT, m.get("prompt_template").asText());
    assertEquals(1, m.get("rows_with_floored_label").asInt());
    assertEquals(1, m.get("floored_label_values").asInt());
    assertEquals((0.9 + 0.95 + 0.9) / 3, m.get("mean_label_mass").asDouble(), 1e-12);
    assertEquals("2026-12-07T20:00:00Z", m.get("date").asText());
    long promptTokens = 3 * 30 + 3 * ("text number 0, with a comma".length() / 4);
    assertEquals(promptTokens + 3, m.get("usage").get("total_tokens").asLong());
    assertFalse(Files.readString(out).contains(fake.base().getPath() + "/chat"), "only the host goes into _meta");
    // llkd teacher check reads it: 3 rows aligned to train-0..2, softmax of the logits
    TeacherCheck.Summary s = TeacherCheck.run(out, in.toString(), null, TextFileReader.Columns.defaults(), null);
    assertEquals(3, s.rows());
    assertEquals(LABELS, s.labels());
    assertArrayEquals(new double[] {0.2 / 0.9, 0.6 / 0.9, 0.1 / 0.9}, s.teacher().probs()[0], 1e-9);
    assertEquals(2, s.agreeing(), "rows 0 and 2 say joy, the gold label");
  }

  /** The id column's values go into the teacher file as they are, so llkd train / teacher check align on them. */
  @Test
  void freeFormIdsFromTheIdColumnAreWrittenAndAlignByIdInTeacherCheck() throws Exception {
    knownAnswers();
    Path in = dir.resolve("with-ids.csv");
    Files.writeString(in, "id,text,label\n"
        + "doc-a,\"text number 0, with a comma\",joy\n"
        + "x7,\"text number 1, with a comma\",sadness\n"
        + "note 3,\"text number 2, with a comma\",joy\n", StandardCharsets.UTF_8);
    Path out = dir.resolve("teacher-ids.jsonl");
    LabelJob j = job(in, out);
    LlmLabeler.run(j.withSource(j.source().withIdColumn("id")));
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(out).subList(1, 4)) ids.add(JSON.readTree(line).get("id").asText());
    assertEquals(List.of("doc-a", "x7", "note 3"), ids);
    TeacherCheck.Summary s = TeacherCheck.run(out, in.toString(), null,
        new TextFileReader.Columns("text", "id", "label", false), null);
    assertEquals(3, s.rows());
    assertEquals(3, s.agreeing(), "aligned by id: every row's teacher answer is its own");
  }

  @Test
  void theGoldLabelIsNeverSent() throws Exception {
    Path in = input(4, "GOLDMARKER");
    LlmLabeler.run(job(in, dir.resolve("t.jsonl")));
    assertEquals(4, fake.bodies.size());
    for (String b : fake.bodies) assertFalse(b.contains("GOLDMARKER"), b);
    assertTrue(fake.bodies.get(0).contains("sadness, joy, love"), "the label list is in the prompt: " + fake.bodies.get(0));
  }

  @Test
  void burstsOf429AreRetriedHonouringRetryAfter() throws Exception {
    knownAnswers();
    Path in = input(3, "joy");
    Path clean = dir.resolve("clean.jsonl");
    LlmLabeler.run(job(in, clean));
    fake.texts.clear();
    fake.retryAfter = "7";
    fake.fault(FakeEndpoint.Fault.RATE_LIMIT, 3);
    Path out = dir.resolve("t.jsonl");
    LlmLabeler.Result r = LlmLabeler.run(job(in, out, Scoring.FIRST_TOKEN, 1, null, null, Duration.ofSeconds(10), 6)
        .withCache(dir.resolve("other-cache.jsonl")));
    assertEquals(3, r.retries());
    assertEquals(3, sleeps.size());
    for (Duration d : sleeps) assertTrue(d.toMillis() >= 7000 && d.toMillis() <= 7700, "Retry-After 7 s honoured: " + sleeps);
    assertEquals(6, fake.texts.size(), "3 refused + 3 answered");
    assertEquals(Files.readString(clean), Files.readString(out));
  }

  @Test
  void serverErrorsAndMalformedAnswersAreRetriedWithExponentialBackoff() throws Exception {
    knownAnswers();
    Path in = input(3, "joy");
    fake.fault(FakeEndpoint.Fault.SERVER_ERROR, 2);
    fake.fault(FakeEndpoint.Fault.MALFORMED, 1);
    Path out = dir.resolve("t.jsonl");
    LlmLabeler.Result r = LlmLabeler.run(job(in, out));
    assertEquals(3, r.retries());
    long[] ms = sleeps.stream().mapToLong(Duration::toMillis).toArray();
    assertTrue(ms[0] >= 50 && ms[0] <= 100 && ms[1] >= 100 && ms[1] <= 200 && ms[2] >= 200 && ms[2] <= 400,
        "backoff 100 ms doubling with jitter: " + sleeps);
    assertArrayEquals(new double[] {Math.log(0.2), Math.log(0.6), Math.log(0.1)}, logits(out, 0), 1e-12);
  }

  @Test
  void aHungResponseTimesOutAndIsRetried() throws Exception {
    knownAnswers();
    Path in = input(2, "joy");
    fake.hangMillis = 4000;
    fake.fault(FakeEndpoint.Fault.HANG, 1);
    Path out = dir.resolve("t.jsonl");
    long t0 = System.nanoTime();
    LlmLabeler.Result r = LlmLabeler.run(job(in, out, Scoring.FIRST_TOKEN, 1, null, null, Duration.ofSeconds(1), 6));
    double secs = (System.nanoTime() - t0) / 1e9;
    assertEquals(1, r.retries());
    assertTrue(secs < 3.5, "gave up on the hung answer after the 1 s timeout, took " + secs + " s");
    assertArrayEquals(new double[] {Math.log(0.7), Math.log(0.15), Math.log(0.1)}, logits(out, 1), 1e-12);
  }

  @Test
  void aRowThatKeepsFailingStopsTheRunNamingItAndWritesNothing() throws Exception {
    Path in = input(3, "joy");
    fake.fault(FakeEndpoint.Fault.SERVER_ERROR, 10);
    Path out = dir.resolve("t.jsonl");
    LlmLabeler.Stopped e = assertThrows(LlmLabeler.Stopped.class,
        () -> LlmLabeler.run(job(in, out, Scoring.FIRST_TOKEN, 1, null, null, Duration.ofSeconds(10), 3)));
    assertTrue(e.getMessage().contains("row 0 (id train-0)") && e.getMessage().contains("HTTP 500")
        && e.getMessage().contains("gave up after 3 attempts") && e.getMessage().contains("rerun"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void aRunStoppedHalfWayResumesToTheSameFileAndNoTextIsSentTwice() throws Exception {
    knownAnswers();
    Path in = input(12, "joy");
    Path whole = dir.resolve("whole.jsonl");
    LlmLabeler.run(job(in, whole, Scoring.FIRST_TOKEN, 3, null, null, Duration.ofSeconds(10), 6));
    fake.texts.clear();

    Path out = dir.resolve("resumed.jsonl");
    LabelJob first = job(in, out, Scoring.FIRST_TOKEN, 3, 5, null, Duration.ofSeconds(10), 6)
        .withCache(dir.resolve("resumed.cache.jsonl"));
    assertThrows(LlmLabeler.Stopped.class, () -> LlmLabeler.run(first));
    assertFalse(Files.exists(out), "nothing written before every row has an answer");
    assertEquals(5, fake.texts.size());
    assertEquals(5, Files.readAllLines(dir.resolve("resumed.cache.jsonl")).size());

    LlmLabeler.Result r = LlmLabeler.run(job(in, out, Scoring.FIRST_TOKEN, 3, null, null, Duration.ofSeconds(10), 6)
        .withCache(dir.resolve("resumed.cache.jsonl")));
    assertEquals(5, r.fromCache());
    assertEquals(7, r.calls());
    assertEquals(Files.readString(whole), Files.readString(out), "resumed = uninterrupted, byte for byte");
    Map<String, Integer> seen = new HashMap<>();
    for (String t : fake.texts) seen.merge(t, 1, Integer::sum);
    assertEquals(12, seen.size());
    seen.forEach((t, c) -> assertEquals(1, c, t + " sent " + c + " times"));

    // a rerun costs nothing
    fake.texts.clear();
    LlmLabeler.Result again = LlmLabeler.run(job(in, out, Scoring.FIRST_TOKEN, 3, null, null, Duration.ofSeconds(10), 6)
        .withCache(dir.resolve("resumed.cache.jsonl")).withForce());
    assertEquals(0, again.calls());
    assertEquals(0, fake.texts.size());
    assertEquals(Files.readString(whole), Files.readString(out));
  }

  @Test
  void theApiKeyIsSentButNeverWrittenToAFileOrALog() throws Exception {
    String secret = "sk-test-SECRET-0123456789";
    ApiKey key = ApiKey.fromEnvironment("LLKD_TEST_KEY", true, Map.of("LLKD_TEST_KEY", secret)::get);
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      Path in = input(3, "joy");
      fake.fault(FakeEndpoint.Fault.RATE_LIMIT, 1);
      fake.retryAfter = "0";
      Path out = dir.resolve("t.jsonl");
      LlmLabeler.run(job(in, out, Scoring.FIRST_TOKEN, 2, null, key, Duration.ofSeconds(10), 6));
      assertEquals("Bearer " + secret, fake.authorizations.get(0));
      // a server that echoes the key in its error
      fake.fault(FakeEndpoint.Fault.UNAUTHORIZED_ECHO_KEY, 1);
      LlmLabeler.Stopped e = assertThrows(LlmLabeler.Stopped.class, () -> LlmLabeler.run(
          job(input(4, "joy"), dir.resolve("t2.jsonl"), Scoring.FIRST_TOKEN, 1, null, key, Duration.ofSeconds(10), 6)
              .withCache(dir.resolve("t2.cache.jsonl"))));
      assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("Bearer ***"), e.getMessage());
      assertFalse(e.getMessage().contains(secret));
      assertFalse(key.toString().contains(secret));
      try (var files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertFalse(Files.readString(f).contains(secret), f + " holds the key");
        }
      }
      assertFalse(logs.list.isEmpty(), "the run logged");
      for (ILoggingEvent ev : logs.list) assertFalse(ev.getFormattedMessage().contains(secret), ev.getFormattedMessage());
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void anUnsetKeyVariableThatWasAskedForIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ApiKey.fromEnvironment("LLKD_NO_SUCH_VAR", true, v -> null));
    assertTrue(e.getMessage().contains("LLKD_NO_SUCH_VAR") && e.getMessage().contains("unset"), e.getMessage());
    assertEquals(null, ApiKey.fromEnvironment("OPENAI_API_KEY", false, v -> null));
  }

  @Test
  void sequenceScoringSumsTheLabelTokensLogProbabilities() throws Exception {
    Map<String, Double> lp = Map.of(" sadness", -1.5, " joy", -0.25, " very", -3.0, " happy", -0.5);
    fake.echoLogprob = (t, tok) -> lp.get(tok);
    Path in = input(2, "joy");
    Path out = dir.resolve("t.jsonl");
    LabelJob j = new LabelJob(LabelJob.Source.of(in.toString(), "text"),
        new LabelJob.Question(List.of("sadness", "joy", "very happy"), PromptTemplate.defaults(), Scoring.SEQUENCE, 20),
        new LabelJob.Calls(new OpenAiClient.Settings(fake.base(), "fake-llm", Duration.ofSeconds(10), null), 2,
            retrier(3), null),
        new LabelJob.Output(out, null, false), CLOCK);
    LlmLabeler.run(j);
    assertArrayEquals(new double[] {-1.5, -0.25, -3.5}, logits(out, 0), 1e-12);
    assertArrayEquals(new double[] {-1.5, -0.25, -3.5}, logits(out, 1), 1e-12);
    assertEquals("sequence", meta(out).get("scoring").asText());
    assertEquals(2, fake.requests.get(), "one completions call per text, all labels in it");
  }

  @Test
  void sequenceScoringIsRefusedClearlyWhereTheEndpointHasNoEcho() throws Exception {
    fake.completionsSupported = false;
    Path in = input(2, "joy");
    LabelJob j = job(in, dir.resolve("t.jsonl"), Scoring.SEQUENCE, 1, null, null, Duration.ofSeconds(10), 3);
    LlmLabeler.Stopped e = assertThrows(LlmLabeler.Stopped.class, () -> LlmLabeler.run(j));
    assertTrue(e.getMessage().contains("does not offer prompt log-probabilities")
        && e.getMessage().contains("--scoring first-token"), e.getMessage());
    assertEquals(1, fake.requests.get(), "a 404 is not retried");
  }

  @Test
  void dryRunSendsNothingAndCountsCachedRowsAsFree() throws Exception {
    Path in = input(10, "joy");
    Path out = dir.resolve("t.jsonl");
    CostEstimate c = CostEstimate.of(job(in, out));
    assertEquals(0, fake.requests.get());
    assertEquals(10, c.rows());
    assertEquals(0, c.cached());
    String p0 = PromptTemplate.defaults().render("text number 0, with a comma", LABELS);
    assertEquals(p0, c.firstPrompt());
    assertEquals(10 * (CostEstimate.estimate(p0) + CostEstimate.CHAT_OVERHEAD + 1), c.tokens());
    String report = c.format(job(in, out), 0.5);
    assertTrue(report.contains(p0) && report.contains("estimated cost: " + String.format(java.util.Locale.ROOT, "%.4f",
        c.tokens() / 1000.0 * 0.5)), report);
    LlmLabeler.run(job(in, out).withMaxRows(4));
    CostEstimate after = CostEstimate.of(job(in, out));
    assertEquals(4, after.cached());
    assertEquals(6 * (CostEstimate.estimate(p0) + CostEstimate.CHAT_OVERHEAD + 1), after.tokens());
  }

  @Test
  void idsComeFromTheIdColumnWhenGivenAndADuplicateIdIsRefusedBeforeAnyCall() throws Exception {
    Path in = dir.resolve("in.tsv");
    Files.writeString(in, "id\ttext\ntrain-7\tfirst text\ntrain-3\tsecond text\n");
    Path out = dir.resolve("t.jsonl");
    LabelJob j = job(in, out);
    LabelJob.Calls oneAtATime = new LabelJob.Calls(j.calls().client(), 1, retrier(3), null);
    LabelJob.Source byId = LabelJob.Source.of(j.source().input(), "text").withIdColumn("id");
    LlmLabeler.run(new LabelJob(byId, j.question(), oneAtATime, new LabelJob.Output(out, null, false), CLOCK));
    assertEquals("train-7", JSON.readTree(Files.readAllLines(out).get(1)).get("id").asText());
    assertEquals("train-3", JSON.readTree(Files.readAllLines(out).get(2)).get("id").asText());
    int before = fake.requests.get();
    Files.writeString(in, "id\ttext\ndoc-a\tfirst text\ndoc-a\tsecond text\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LlmLabeler.run(new LabelJob(
        byId, j.question(), oneAtATime, new LabelJob.Output(dir.resolve("t2.jsonl"), null, false), CLOCK)));
    assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("'doc-a' again"), e.getMessage());
    assertEquals(before, fake.requests.get());
  }
}
