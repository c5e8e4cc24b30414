package org.llkd.experiments.teacher.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a call again on the failures worth retrying (429, 5xx, 408, timeouts, connection errors, a malformed
 * answer), at most {@code maxAttempts} times in all. The wait before attempt n+1 is the server's
 * {@code Retry-After} when it sent one (capped at {@code maxRetryAfter}), plus up to 10% jitter; otherwise
 * exponential backoff with "equal jitter": uniform in [d/2, d] with d = min(maxDelay, baseDelay * 2^(n-1)), so
 * parallel workers hit by the same 429 burst do not come back in step. Any other failure (400, 401, 404, ...) is
 * thrown at once.
 *
 * @param maxAttempts   attempts in all, >= 1
 * @param baseDelay     the first backoff
 * @param maxDelay      the longest backoff
 * @param maxRetryAfter the longest Retry-After honoured (a longer one is waited for this long)
 */
public record Retrier(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter, Sleeper sleeper,
    AtomicLong retries) {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  /** Waits (tests record instead). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** One attempt. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws EndpointException, InterruptedException;
  }

  public Retrier {
    if (maxAttempts < 1) throw new IllegalArgumentException("--max-attempts: expected >= 1, found " + maxAttempts);
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("backoff: expected 0 <= base <= max, found " + baseDelay + " and " + maxDelay);
    }
  }

  /** 8 attempts, 1 s doubling to 60 s, Retry-After up to 10 min, real sleeping. */
  public static Retrier defaults() {
    return new Retrier(8, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10),
        d -> Thread.sleep(d.toMillis()), new AtomicLong());
  }

  public Retrier withSleeper(Sleeper s) {
    return new Retrier(maxAttempts, baseDelay, maxDelay, maxRetryAfter, s, retries);
  }

  public Retrier withMaxAttempts(int n) {
    return new Retrier(n, baseDelay, maxDelay, maxRetryAfter, sleeper, retries);
  }

  /** Runs {@code c}; {@code what} names the row in logs and in the final error. */
  public <T> T call(String what, Call<T> c) throws EndpointException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return c.call();
      } catch (EndpointException e) {
        if (!e.retryable() || attempt >= maxAttempts) {
          String tried = e.retryable() ? " (gave up after " + attempt + " attempts)" : "";
          throw new EndpointException(what + ": " + e.getMessage() + tried, e.status(), false, e.retryAfter(), e);
        }
        Duration wait = delay(attempt, e.retryAfter());
        retries.incrementAndGet();
        LOG.warn("{}: {}; attempt {} of {} in {} ms", what, e.getMessage(), attempt + 1, maxAttempts, wait.toMillis());
        sleeper.sleep(wait);
      }
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  Duration delay(int attempt, Duration retryAfter) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    if (retryAfter != null) {
      Duration d = retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
      return d.plusMillis((long) (r.nextDouble() * 0.1 * d.toMillis()));
    }
    long d = baseDelay.toMillis();
    for (int i = 1; i < attempt && d < maxDelay.toMillis(); i++) d *= 2;
    d = Math.min(d, maxDelay.toMillis());
    return Duration.ofMillis(d / 2 + (long) (r.nextDouble() * (d - d / 2)));
  }
}
