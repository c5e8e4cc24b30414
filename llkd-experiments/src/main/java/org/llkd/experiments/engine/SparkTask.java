package org.llkd.experiments.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * The body of one Spark task: one run. Input and output travel as Java-serialised bytes, so the grid works
 * whatever {@code spark.serializer} a cluster configures (Kryo cannot rebuild records).
 *
 * <p>Retries: a failed attempt that is not the last one throws, so Spark schedules another attempt (on any
 * executor); that attempt resumes the run directory from its last epoch checkpoint (a resumed run equals an
 * unbroken one). The last attempt ({@link RunDescription#maxAttempts()}) returns the failure instead of throwing,
 * so the job, and every other run, finishes and the driver records the error in raw.csv. A bad config or input
 * ({@link IllegalArgumentException}) is not retried: the driver stops the experiment, as the local engine does.
 */
final class SparkTask implements Function<byte[], byte[]> {
  private static final long serialVersionUID = 1L;

  private final RunBody body;

  SparkTask(RunBody body) { this.body = body; }

  @Override public byte[] call(byte[] in) {
    RunDescription d = read(in, RunDescription.class);
    TaskContext tc = TaskContext.get();
    int attempt = tc == null ? 0 : tc.attemptNumber();
    return write(execute(d, body, attempt, executor()));
  }

  /** Runs {@code d}'s attempt number {@code attempt} (0-based); see the class comment for what it throws. */
  static RunResult execute(RunDescription d, RunBody body, int attempt, String executor) {
    boolean last = attempt + 1 >= d.maxAttempts();
    String where = d.runId() + " (attempt " + (attempt + 1) + "/" + d.maxAttempts() + " on " + executor + ")";
    try {
      RunGrid.Spec spec = d.spec();
      RunGrid.Outcome o = body.run(d.expPath(), spec, d.resume() || attempt > 0);
      if (o.ok()) {
        return new RunResult(d.index(), d.runId(), new LinkedHashMap<>(o.metrics()), null, false, attempt + 1, executor);
      }
      if (!last) throw new IllegalStateException(where + " failed: " + o.error());
      return failure(d, o.error() + " (attempt " + (attempt + 1) + "/" + d.maxAttempts() + ")", false, attempt, executor);
    } catch (IllegalArgumentException e) {
      return failure(d, describe(e), true, attempt, executor);
    } catch (RuntimeException e) {
      if (!last) throw e;
      String msg = describe(e) + " (attempt " + (attempt + 1) + "/" + d.maxAttempts() + ")";
      recordFailed(d, msg);
      return failure(d, msg, false, attempt, executor);
    }
  }

  private static RunResult failure(RunDescription d, String msg, boolean badInput, int attempt, String executor) {
    return new RunResult(d.index(), d.runId(), new LinkedHashMap<>(), msg, badInput, attempt + 1, executor);
  }

  static String describe(Throwable e) { return e.getClass().getSimpleName() + ": " + e.getMessage(); }

  /** {@code FAILED.txt}, as RunGrid writes it for failures inside the trainer. */
  private static void recordFailed(RunDescription d, String msg) {
    try {
      Files.createDirectories(d.runDir());
      Files.writeString(d.runDir().resolve("FAILED.txt"), msg + "\n", StandardCharsets.UTF_8);
    } catch (IOException ignored) {
      // the failure itself still reaches the driver and raw.csv
    }
  }

  static String executor() {
    String id = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
    try {
      return id + "@" + InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return id + "@?";
    }
  }

  /**
   * Runs a Spark job that collects bytes; its failure becomes an {@link IllegalStateException} saying
   * "{@code job} failed: <cause>{@code advice}" (SparkException is checked in Java's eyes but thrown undeclared by
   * {@code collect()}).
   */
  static List<byte[]> collect(String job, String advice, Supplier<List<byte[]>> run) {
    try {
      return run.get();
    } catch (Exception e) {
      throw new IllegalStateException(job + " failed: " + e + advice, e);
    }
  }

  static byte[] write(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + o.getClass().getName(), e);
    }
    return bytes.toByteArray();
  }

  static <T> T read(byte[] b, Class<T> type) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
      return type.cast(in.readObject());
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot read a " + type.getSimpleName() + " (" + b.length + " bytes); submit the "
          + "same llkd-experiments jar to driver and executors", e);
    }
  }
}
