package org.llkd.experiments.serve;

/**
 * How a {@link PredictionServer} listens, batches and refuses, validated once, in three groups: {@link Http the HTTP
 * side}, {@link Batching the batcher} and {@link Limits what is refused}.
 *
 * @param http     address, port, HTTP threads and shutdown grace
 * @param batching batch size, wait and batcher threads
 * @param limits   queue, texts per request and body size
 */
public record ServeConfig(Http http, Batching batching, Limits limits) {

  public ServeConfig {
    if (http == null || batching == null || limits == null) {
      throw new IllegalArgumentException("serve config needs http, batching and limits; found " + http + ", " + batching
          + ", " + limits);
    }
  }

  /**
   * The HTTP side.
   *
   * @param host                 address to bind (loopback by default: exposing it is a deliberate choice)
   * @param port                 TCP port, 0 for an ephemeral one
   * @param httpThreads          threads that read requests and wait for their answers
   * @param shutdownGraceSeconds how long {@code stop()} waits for admitted requests to be answered
   */
  public record Http(String host, int port, int httpThreads, int shutdownGraceSeconds) {
    /** Loopback, the given port, 64 HTTP threads, 30 s grace. */
    public static Http loopback(int port) {
      return new Http("127.0.0.1", port, 64, 30);
    }

    public Http {
      if (host == null || host.isBlank()) throw new IllegalArgumentException("--host: expected an address, found '" + host + "'");
      check("--port", port, 0, 65535);
      check("--http-threads", httpThreads, 1, 4096);
      check("--grace", shutdownGraceSeconds, 0, 3600);
    }
  }

  /**
   * The micro-batcher.
   *
   * @param maxBatch      B: texts per forward; a batch closes at B texts or {@code maxWaitMillis}
   * @param maxWaitMillis W: how long the first request of a batch waits for company (0: no waiting)
   * @param workers       batcher threads (each runs one batch at a time; the classifier pools runtimes for them)
   */
  public record Batching(int maxBatch, int maxWaitMillis, int workers) {
    /** B 32, W 5 ms, 1 worker. */
    public static final Batching DEFAULT = new Batching(32, 5, 1);

    public Batching {
      check("--max-batch", maxBatch, 1, 4096);
      check("--max-wait-ms", maxWaitMillis, 0, 10_000);
      check("--workers", workers, 1, 256);
    }
  }

  /**
   * What is refused.
   *
   * @param queueCapacity      texts admitted and not yet answered (queued or computing); beyond it: 503
   * @param maxTextsPerRequest texts in one request; beyond it: 413 (at most {@code queueCapacity})
   * @param maxBodyBytes       request body size; beyond it: 413
   */
  public record Limits(int queueCapacity, int maxTextsPerRequest, int maxBodyBytes) {
    /** 1024 queued texts, 256 texts and 1 MiB per request. */
    public static final Limits DEFAULT = new Limits(1024, 256, 1 << 20);

    public Limits {
      check("--queue", queueCapacity, 1, 1_000_000);
      check("--max-texts", maxTextsPerRequest, 1, queueCapacity);
      check("--max-body-bytes", maxBodyBytes, 16, 1 << 30);
    }
  }

  /** Loopback, the given port, B 32, W 5 ms, 1024 queued texts, 256 texts and 1 MiB per request, 64 HTTP threads, 1 worker, 30 s grace. */
  public static ServeConfig defaults(int port) {
    return new ServeConfig(Http.loopback(port), Batching.DEFAULT, Limits.DEFAULT);
  }

  private static void check(String what, long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(what + ": expected " + min + ".." + max + ", found " + v);
    }
  }
}
