/**
 * {@code llkd serve}: a model directory behind an HTTP endpoint. {@link org.llkd.experiments.serve.PredictionServer}
 * (the JDK's {@code com.sun.net.httpserver}) answers {@code POST /v1/predict}, {@code GET /health} and
 * {@code GET /metrics}; {@link org.llkd.experiments.serve.MicroBatcher} merges concurrent requests into batches
 * behind a bounded queue; {@link org.llkd.experiments.serve.ServeMetrics} keeps Micrometer meters in the Prometheus
 * format; {@link org.llkd.experiments.serve.ServeLoad} is the bounded loopback load test. API: docs/serving.md.
 *
 * <p>Imports llkd-models (the classifier, the pseudo-label rule of {@code label}) and Jackson; must not import
 * {@code cli}, {@code train} or the experiment packages (the CLI depends on this package, not the other way).
 */
package org.llkd.experiments.serve;
