package org.llkd.experiments.teacher.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-protocol server on 127.0.0.1 (an ephemeral port) for the tests: {@code /v1/chat/completions} answers
 * with {@code top_logprobs} from {@link #answers}, {@code /v1/completions} echoes prompts with token log-probabilities
 * from {@link #echoLogprob}. Before answering normally it plays queued {@link Fault}s, one per request. It records
 * every text it was sent (the line after "Text: ") and every Authorization header.
 */
final class FakeEndpoint implements AutoCloseable {
  enum Fault { RATE_LIMIT, SERVER_ERROR, HANG, MALFORMED, UNAUTHORIZED_ECHO_KEY, NOT_FOUND }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TEXT = Pattern.compile("Text: (.*?)\\nCategory:", Pattern.DOTALL);
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  final Deque<Fault> faults = new ArrayDeque<>();
  /** Retry-After seconds sent with RATE_LIMIT. */
  volatile String retryAfter = "7";
  /** How long HANG waits before answering (bounded). */
  volatile long hangMillis = 3000;
  /** text -> top_logprobs of the first answer token. */
  volatile Function<String, List<TokenLogprob>> answers = t -> List.of(new TokenLogprob(" joy", Math.log(0.9)));
  /** (text, token) -> log-probability of an echoed label token. */
  volatile BiFunction<String, String, Double> echoLogprob = (t, tok) -> -1.0;
  volatile boolean completionsSupported = true;
  final List<String> texts = Collections.synchronizedList(new ArrayList<>());
  final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();

  FakeEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(pool);
    server.createContext("/v1/chat/completions", this::chat);
    server.createContext("/v1/completions", this::completions);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  synchronized void fault(Fault f, int times) {
    for (int i = 0; i < times; i++) faults.add(f);
  }

  private synchronized Fault nextFault() {
    return faults.poll();
  }

  static String textOf(String prompt) {
    Matcher m = TEXT.matcher(prompt);
    if (!m.find()) throw new IllegalStateException("no 'Text: ...' in the prompt " + prompt);
    return m.group(1);
  }

  private boolean faulted(HttpExchange ex, String auth) throws IOException {
    Fault f = nextFault();
    if (f == null) return false;
    switch (f) {
      case RATE_LIMIT -> {
        ex.getResponseHeaders().add("Retry-After", retryAfter);
        send(ex, 429, "{\"error\": {\"message\": \"Rate limit reached\"}}");
      }
      case SERVER_ERROR -> send(ex, 500, "{\"error\": {\"message\": \"internal error\"}}");
      case HANG -> {
        try {
          Thread.sleep(hangMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        send(ex, 500, "{\"error\": \"too late\"}");
      }
      case MALFORMED -> send(ex, 200, "{\"choices\": [{\"logprobs\": ");
      case UNAUTHORIZED_ECHO_KEY -> send(ex, 401, "{\"error\": {\"message\": \"Incorrect API key provided: " + auth + "\"}}");
      case NOT_FOUND -> send(ex, 404, "{\"error\": \"no such route\"}");
    }
    return true;
  }

  private void chat(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    bodies.add(body);
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null) authorizations.add(auth);
    JsonNode req = JSON.readTree(body);
    String text = textOf(req.path("messages").path(0).path("content").asText());
    texts.add(text);
    if (faulted(ex, auth)) return;
    if (req.path("max_tokens").asInt() != 1 || !req.path("logprobs").asBoolean() || req.path("top_logprobs").asInt() > 20) {
      send(ex, 400, "{\"error\": \"expected max_tokens 1, logprobs true, top_logprobs <= 20\"}");
      return;
    }
    List<TokenLogprob> top = answers.apply(text);
    ObjectNode root = JSON.createObjectNode();
    ArrayNode content = root.putArray("choices").addObject().putObject("logprobs").putArray("content");
    ObjectNode first = content.addObject();
    first.put("token", top.get(0).token()).put("logprob", top.get(0).logprob());
    ArrayNode tl = first.putArray("top_logprobs");
    for (TokenLogprob t : top) tl.addObject().put("token", t.token()).put("logprob", t.logprob());
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", 30 + text.length() / 4).put("completion_tokens", 1);
    answered.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
    send(ex, 200, root.toString());
  }

  /** Echo: tokens are a word with its leading whitespace ("\\s*\\S+"); the first has no log-probability. */
  private void completions(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    bodies.add(body);
    if (!completionsSupported) {
      send(ex, 404, "{\"error\": {\"message\": \"This model does not support echo with logprobs\"}}");
      return;
    }
    JsonNode req = JSON.readTree(body);
    String text = textOf(req.path("prompt").path(0).asText());
    texts.add(text);
    if (faulted(ex, null)) return;
    if (!req.path("echo").asBoolean()) {
      send(ex, 400, "{\"error\": \"expected echo\"}");
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    ArrayNode choices = root.putArray("choices");
    int idx = 0;
    long promptTokens = 0;
    int boundary = req.path("prompt").path(0).asText().lastIndexOf("Category:") + "Category:".length();
    for (JsonNode p : req.path("prompt")) {
      String s = p.asText();
      ObjectNode lp = choices.addObject().put("index", idx++).putObject("logprobs");
      ArrayNode toks = lp.putArray("tokens");
      ArrayNode lps = lp.putArray("token_logprobs");
      ArrayNode offs = lp.putArray("text_offset");
      Matcher m = Pattern.compile("\\s*\\S+").matcher(s);
      boolean first = true;
      while (m.find()) {
        toks.add(m.group());
        offs.add(m.start());
        if (first) lps.addNull();
        else lps.add(m.start() >= boundary ? echoLogprob.apply(text, m.group()) : -2.0);
        first = false;
        promptTokens++;
      }
      toks.add(" The"); // the one generated token: must be ignored
      offs.add(s.length());
      lps.add(-0.5);
    }
    root.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", idx);
    answered.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
    send(ex, 200, root.toString());
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    } catch (IOException e) {
      // the client gave up (timeout test)
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
