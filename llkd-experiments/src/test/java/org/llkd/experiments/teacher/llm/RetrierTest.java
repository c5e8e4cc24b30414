package org.llkd.experiments.teacher.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetrierTest {
  private final List<Duration> sleeps = new ArrayList<>();
  private final Retrier retrier = new Retrier(4, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(30),
      sleeps::add, new AtomicLong());

  @Test
  void backoffDoublesWithJitterUpToTheMaximum() {
    for (int rep = 0; rep < 200; rep++) {
      long d1 = retrier.delay(1, null).toMillis();
      long d2 = retrier.delay(2, null).toMillis();
      long d5 = retrier.delay(5, null).toMillis();
      assertTrue(d1 >= 50 && d1 <= 100, "attempt 1: " + d1);
      assertTrue(d2 >= 100 && d2 <= 200, "attempt 2: " + d2);
      assertTrue(d5 >= 150 && d5 <= 300, "capped: " + d5);
    }
  }

  @Test
  void retryAfterIsHonouredAndCapped() {
    long d = retrier.delay(1, Duration.ofSeconds(7)).toMillis();
    assertTrue(d >= 7000 && d <= 7700, "" + d);
    long capped = retrier.delay(1, Duration.ofHours(1)).toMillis();
    assertTrue(capped >= 30_000 && capped <= 33_000, "" + capped);
    assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", Instant.EPOCH));
    assertEquals(Duration.ofMillis(1500), RetryAfter.parse("1.5", Instant.EPOCH));
    assertEquals(Duration.ofSeconds(20), RetryAfter.parse("Wed, 21 Oct 2015 07:28:20 GMT",
        Instant.parse("2015-10-21T07:28:00Z")));
    assertNull(RetryAfter.parse("soon", Instant.EPOCH));
  }

  @Test
  void retryableFailuresAreRetriedAtMostMaxAttemptsAndOthersFailAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    EndpointException e = assertThrows(EndpointException.class, () -> retrier.call("row 3", () -> {
      calls.incrementAndGet();
      throw new EndpointException("HTTP 503", 503, true, null, null);
    }));
    assertEquals(4, calls.get());
    assertEquals(3, sleeps.size());
    assertTrue(e.getMessage().startsWith("row 3: HTTP 503") && e.getMessage().contains("gave up after 4 attempts"), e.getMessage());

    calls.set(0);
    assertThrows(EndpointException.class, () -> retrier.call("row 4", () -> {
      calls.incrementAndGet();
      throw new EndpointException("HTTP 400", 400, false, null, null);
    }));
    assertEquals(1, calls.get());

    calls.set(0);
    assertEquals("ok", retrier.call("row 5", () -> {
      if (calls.incrementAndGet() < 3) throw new EndpointException("HTTP 429", 429, true, Duration.ofSeconds(2), null);
      return "ok";
    }));
    assertTrue(sleeps.get(sleeps.size() - 1).toMillis() >= 2000, sleeps.toString());
  }
}
