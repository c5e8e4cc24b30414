package org.llkd.experiments.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The server's meters, scraped at {@code GET /metrics} in the Prometheus text format:
 * <pre>
 *   llkd_requests_total{endpoint, status}                 counter: every request, by endpoint and HTTP status
 *   llkd_request_duration_seconds_bucket{endpoint, le}    histogram: request latency, read to written (1 ms .. 10 s)
 *   llkd_texts_total                                      counter: texts predicted
 *   llkd_batch_size_bucket{le}                            histogram: texts per forward batch (1 .. 4096)
 *   llkd_queue_texts                                      gauge: texts admitted and not yet answered
 * </pre>
 */
final class ServeMetrics {
  private static final Duration[] LATENCY_BUCKETS = {ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100), ms(200),
      ms(500), ms(1000), ms(2000), ms(5000), ms(10000)};
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DistributionSummary batchSize;
  private final Counter texts;

  ServeMetrics(Supplier<Number> queueTexts) {
    batchSize = DistributionSummary.builder("llkd.batch.size").description("texts per forward batch")
        .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
    texts = Counter.builder("llkd.texts").description("texts predicted").register(registry);
    Gauge.builder("llkd.queue.texts", queueTexts).description("texts admitted and not yet answered").register(registry);
  }

  /** One answered request on {@code endpoint} ("predict", "health", "metrics", "other") with {@code status}. */
  void request(String endpoint, int status, long nanos) {
    registry.counter("llkd.requests", "endpoint", endpoint, "status", Integer.toString(status)).increment();
    Timer.builder("llkd.request.duration").description("request latency, body read to answer written")
        .tag("endpoint", endpoint).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** A forward batch of {@code n} texts. */
  void batch(int n) {
    batchSize.record(n);
    texts.increment(n);
  }

  /** Batches run so far. */
  long batches() { return batchSize.count(); }

  /** Texts in those batches. */
  long batchedTexts() { return (long) batchSize.totalAmount(); }

  /** The Prometheus text exposition (format 0.0.4). */
  String scrape() { return registry.scrape(); }

  private static Duration ms(long v) { return Duration.ofMillis(v); }
}
