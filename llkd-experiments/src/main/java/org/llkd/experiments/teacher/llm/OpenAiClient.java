package org.llkd.experiments.teacher.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two OpenAI-protocol calls the labeller makes, on the JDK {@link HttpClient} with Jackson (docs/dependencies.md
 * says why not the openai-java SDK):
 * <ul>
 *   <li>{@link #firstToken}: {@code POST <base>/chat/completions} with {@code max_tokens 1}, {@code temperature 0},
 *       {@code logprobs true}, {@code top_logprobs k}; reads {@code choices[0].logprobs.content[0].top_logprobs}.</li>
 *   <li>{@link #echo}: {@code POST <base>/completions} with a list of prompts, {@code echo true}, {@code logprobs 0},
 *       {@code max_tokens 1}; reads each choice's {@code logprobs.tokens/token_logprobs/text_offset} (the prompt's
 *       own token log-probabilities).</li>
 * </ul>
 * One failed attempt is one {@link EndpointException}; retrying is the {@link Retrier}'s job. The API key goes into
 * the Authorization header only.
 */
public final class OpenAiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param base    the endpoint's base URL (…/v1); a trailing {@code /chat/completions} or {@code /completions} is removed
   * @param model   the model name sent with every request
   * @param timeout per request, from sending to the whole body received
   * @param apiKey  the key, or null (local servers)
   */
  public record Settings(URI base, String model, Duration timeout, ApiKey apiKey) {
    public Settings {
      base = normaliseBase(base);
      if (model == null || model.isBlank()) throw new IllegalArgumentException("--model: expected a model name, found none");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: expected > 0, found " + timeout);
    }
  }

  private final Settings settings;
  private final HttpClient http;

  public OpenAiClient(Settings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** The base URL without a trailing slash or endpoint path; only http and https, no user:password part. */
  static URI normaliseBase(URI base) {
    if (base == null || base.getScheme() == null || base.getHost() == null
        || !(base.getScheme().equals("http") || base.getScheme().equals("https"))) {
      throw new IllegalArgumentException("--endpoint: expected an http(s) base URL such as http://localhost:8000/v1 or "
          + "https://api.openai.com/v1, found '" + base + "'");
    }
    if (base.getUserInfo() != null) {
      throw new IllegalArgumentException("--endpoint: expected no user:password in the URL (put the key in the "
          + "environment variable named by --api-key-env), found one");
    }
    if (base.getQuery() != null) {
      throw new IllegalArgumentException("--endpoint: expected a base URL without a query string, found '?"
          + "…' (keys belong in the environment, not the URL)");
    }
    String s = base.toString();
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    for (String suffix : new String[] {"/chat/completions", "/completions"}) {
      if (s.endsWith(suffix)) s = s.substring(0, s.length() - suffix.length());
    }
    return URI.create(s);
  }

  public Settings settings() {
    return settings;
  }

  /** One chat completion scoring the first answer token; {@code topLogprobs} in 1..20. */
  public Answer firstToken(String prompt, int topLogprobs) throws EndpointException, InterruptedException {
    ObjectNode req = JSON.createObjectNode();
    req.put("model", settings.model());
    ArrayNode messages = req.putArray("messages");
    messages.addObject().put("role", "user").put("content", prompt);
    req.put("max_tokens", 1);
    req.put("temperature", 0);
    req.put("logprobs", true);
    req.put("top_logprobs", topLogprobs);
    JsonNode root = post("/chat/completions", req);
    JsonNode content = root.path("choices").path(0).path("logprobs").path("content");
    JsonNode top = content.path(0).path("top_logprobs");
    if (!top.isArray() || top.isEmpty()) {
      throw new EndpointException("POST " + settings.base() + "/chat/completions: expected "
          + "choices[0].logprobs.content[0].top_logprobs (a list of {token, logprob}), found "
          + (content.isMissingNode() ? "no logprobs in the answer" : snippet(content.toString()))
          + "; the endpoint or model does not return log-probabilities for chat completions", 200, false, null, null);
    }
    List<TokenLogprob> out = new ArrayList<>();
    for (JsonNode t : top) {
      JsonNode tok = t.get("token");
      JsonNode lp = t.get("logprob");
      if (tok == null || !tok.isTextual() || lp == null || !lp.isNumber()) {
        throw new EndpointException("POST " + settings.base() + "/chat/completions: expected top_logprobs entries "
            + "{\"token\": string, \"logprob\": number}, found " + snippet(t.toString()), 200, true, null, null);
      }
      out.add(new TokenLogprob(tok.asText(), lp.asDouble()));
    }
    return new Answer(out, null, usage(root, "prompt_tokens"), usage(root, "completion_tokens"));
  }

  /** One completions call echoing {@code prompts} with their token log-probabilities: one {@link Echo} per prompt. */
  public List<Echo> echo(List<String> prompts, long[] usageOut) throws EndpointException, InterruptedException {
    ObjectNode req = JSON.createObjectNode();
    req.put("model", settings.model());
    ArrayNode p = req.putArray("prompt");
    prompts.forEach(p::add);
    req.put("max_tokens", 1);
    req.put("temperature", 0);
    req.put("echo", true);
    req.put("logprobs", 0);
    JsonNode root = post("/completions", req);
    JsonNode choices = root.path("choices");
    List<Echo> out = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) out.add(null);
    for (JsonNode c : choices) {
      int idx = c.path("index").asInt(-1);
      JsonNode lp = c.path("logprobs");
      JsonNode toks = lp.path("tokens");
      JsonNode lps = lp.path("token_logprobs");
      JsonNode offs = lp.path("text_offset");
      if (idx < 0 || idx >= prompts.size() || !toks.isArray() || !lps.isArray() || !offs.isArray()
          || toks.size() != lps.size() || toks.size() != offs.size()) {
        throw noEcho("a choice with index 0.." + (prompts.size() - 1) + " and logprobs.tokens, token_logprobs and "
            + "text_offset of equal length", snippet(c.toString()));
      }
      List<String> tokens = new ArrayList<>();
      double[] logprobs = new double[toks.size()];
      int[] offsets = new int[toks.size()];
      for (int t = 0; t < toks.size(); t++) {
        tokens.add(toks.get(t).asText());
        logprobs[t] = lps.get(t).isNumber() ? lps.get(t).asDouble() : Double.NaN; // the first token has none
        offsets[t] = offs.get(t).asInt();
      }
      out.set(idx, new Echo(tokens, logprobs, offsets));
    }
    if (out.contains(null)) {
      throw noEcho(prompts.size() + " choices (one per prompt)", choices.size() + " usable choices");
    }
    usageOut[0] = usage(root, "prompt_tokens");
    usageOut[1] = usage(root, "completion_tokens");
    return out;
  }

  /** One echoed prompt: its tokens, their log-probabilities (NaN where none) and character offsets. */
  public record Echo(List<String> tokens, double[] logprobs, int[] offsets) {}

  private EndpointException noEcho(String expected, String found) {
    return new EndpointException("POST " + settings.base() + "/completions with echo: expected " + expected + ", found "
        + found + "; --scoring sequence needs an OpenAI-compatible completions endpoint that returns the prompt's "
        + "log-probabilities (echo + logprobs, e.g. vLLM); use --scoring first-token", 200, false, null, null);
  }

  private static long usage(JsonNode root, String field) {
    JsonNode u = root.path("usage").path(field);
    return u.isNumber() ? Math.max(0, u.asLong()) : 0;
  }

  private JsonNode post(String path, ObjectNode body) throws EndpointException, InterruptedException {
    URI uri = URI.create(settings.base() + path);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (settings.apiKey() != null) b.header("Authorization", settings.apiKey().bearer());
    String where = "POST " + uri;
    HttpResponse<String> r;
    CompletableFuture<HttpResponse<String>> f = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try {
      // the request timeout covers the headers; this bound covers the body too
      r = f.get(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new EndpointException(where + ": no complete answer within " + settings.timeout().toSeconds() + " s", 0, true, null, e);
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof HttpTimeoutException) {
        throw new EndpointException(where + ": no answer within " + settings.timeout().toSeconds() + " s (timeout)", 0, true, null, null);
      }
      if (c instanceof IOException) {
        throw new EndpointException(where + ": " + redact(c.getClass().getSimpleName() + " " + c.getMessage()), 0, true, null, null);
      }
      throw new IllegalStateException(where + ": " + redact(String.valueOf(c)), null);
    }
    int status = r.statusCode();
    if (status != 200) {
      boolean retry = EndpointException.retryableStatus(status);
      throw new EndpointException(where + ": HTTP " + status + " " + redact(snippet(r.body())), status, retry,
          RetryAfter.parse(r.headers()), null);
    }
    try {
      JsonNode root = JSON.readTree(r.body());
      if (root == null || !root.isObject()) throw new EndpointException(where + ": expected a JSON object, found "
          + redact(snippet(r.body())), status, true, null, null);
      return root;
    } catch (JsonProcessingException e) {
      throw new EndpointException(where + ": malformed JSON in the answer (" + e.getOriginalMessage() + "): "
          + redact(snippet(r.body())), status, true, null, null);
    }
  }

  private String redact(String s) {
    return ApiKey.redact(settings.apiKey(), s);
  }

  static String snippet(String s) {
    if (s == null) return "''";
    String t = s.replace('\n', ' ');
    return "'" + (t.length() > 200 ? t.substring(0, 197) + "..." : t) + "'";
  }
}
