package org.llkd.experiments.teacher.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk answer cache that makes a killed run resume where it stopped and a rerun cost nothing: one JSON line
 * per paid answer, {@code {"k": key, "top": [[token, logprob], ...] | "seq": [...], "pt": n, "ct": n}}, appended
 * with a single write and forced to disk before the row counts as done. The key ({@link #key}) is the SHA-256 of
 * (endpoint, model, scoring, prompt template, labels, top_logprobs, SHA-256 of the text), so the cache holds neither
 * texts nor the API key, and a change to any of them makes a new key (that row is paid again, by design).
 *
 * <p>Crash safety: a line is complete only with its final newline. On open, a trailing fragment without one (a run
 * killed in the middle of a write) is cut off with a warning; a complete line that does not parse is an error naming
 * the line (the file was edited or damaged).
 */
public final class AnswerCache implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(AnswerCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final FileChannel channel;

  private AnswerCache(Path file) throws IOException {
    this.file = file;
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (channel.tryLock() == null) {
      channel.close();
      throw new IllegalArgumentException(file + ": expected a cache no other process is using, found it locked by "
          + "another 'llkd teacher label' run; wait for it or give this run its own --cache");
    }
    load();
    channel.position(channel.size());
  }

  /** Opens (creating) the cache file and reads what it holds. */
  public static AnswerCache open(Path file) {
    try {
      return new AnswerCache(file);
    } catch (java.nio.channels.OverlappingFileLockException e) {
      throw new IllegalArgumentException(file + ": expected a cache not in use, found it open in this process already");
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the answer cache " + file + ": " + e.getMessage(), e);
    }
  }

  private void load() throws IOException {
    byte[] all = Files.readAllBytes(file);
    int start = 0;
    int line = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] != '\n') continue;
      line++;
      String s = new String(all, start, i - start, StandardCharsets.UTF_8);
      start = i + 1;
      if (s.isBlank()) continue;
      try {
        JsonNode n = JSON.readTree(s);
        answers.put(n.get("k").asText(), fromJson(n));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(file + " line " + line + ": expected a cache entry {\"k\": ..., \"top\"|\"seq\": "
            + "...}, found " + OpenAiClient.snippet(s) + " (" + e.getMessage() + "); move the file away to start a "
            + "new cache (its rows will be paid again)");
      }
    }
    if (start < all.length) {
      LOG.warn("{}: cut off an unfinished last entry ({} bytes, a run stopped while writing it); that row will be "
          + "asked again", file, all.length - start);
      channel.truncate(start);
      channel.force(true);
    }
  }

  /** The cached answer for {@code key}, or null. */
  public Answer get(String key) {
    return answers.get(key);
  }

  public int size() {
    return answers.size();
  }

  /** Appends an answer and forces it to disk. */
  public synchronized void put(String key, Answer a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("k", key);
    if (a.sequence() != null) {
      ArrayNode s = n.putArray("seq");
      for (double v : a.sequence()) s.add(v);
    } else {
      ArrayNode t = n.putArray("top");
      for (TokenLogprob tl : a.top()) t.addArray().add(tl.token()).add(tl.logprob());
    }
    n.put("pt", a.promptTokens());
    n.put("ct", a.completionTokens());
    ByteBuffer b = ByteBuffer.wrap((n.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      while (b.hasRemaining()) channel.write(b);
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to the answer cache " + file + ": " + e.getMessage(), e);
    }
    answers.put(key, a);
  }

  private static Answer fromJson(JsonNode n) {
    long pt = n.get("pt").asLong();
    long ct = n.get("ct").asLong();
    if (n.has("seq")) {
      JsonNode s = n.get("seq");
      double[] v = new double[s.size()];
      for (int i = 0; i < v.length; i++) v[i] = s.get(i).asDouble();
      return new Answer(List.of(), v, pt, ct);
    }
    List<TokenLogprob> top = new ArrayList<>();
    for (JsonNode t : n.get("top")) top.add(new TokenLogprob(t.get(0).asText(), t.get(1).asDouble()));
    return new Answer(top, null, pt, ct);
  }

  /** The cache key of one text under one labelling setup. */
  public static String key(String endpoint, String model, String scoring, String template, List<String> labels,
      int topLogprobs, String text) {
    ArrayNode a = JSON.createArrayNode();
    a.add("llkd-llm-cache/1").add(endpoint).add(model).add(scoring).add(template);
    ArrayNode l = a.addArray();
    labels.forEach(l::add);
    a.add(topLogprobs).add(sha256(text));
    return sha256(a.toString());
  }

  static String sha256(String s) {
    return org.llkd.models.io.Sha256.of(s.getBytes(StandardCharsets.UTF_8));
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not close " + file + ": " + e.getMessage(), e);
    }
  }
}
