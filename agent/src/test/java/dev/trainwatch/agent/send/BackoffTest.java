package dev.trainwatch.agent.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(1000, 60_000);

  @Test
  void doublesWithEqualJitterUpToTheCap() {
    SplittableRandom r = new SplittableRandom(7);
    long[] ceilings = {1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000};
    for (int f = 1; f <= ceilings.length; f++) {
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.delayMs(f, -1, r))
            .as("failure %d", f)
            .isBetween(ceilings[f - 1] - ceilings[f - 1] / 2, ceilings[f - 1]);
      }
    }
    assertThat(backoff.delayMs(10_000, -1, r)).isBetween(30_000L, 60_000L);
  }

  @Test
  void jitterSpreadsAFleet() {
    SplittableRandom r = new SplittableRandom(1);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      long d = backoff.delayMs(6, -1, r);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(max - min).isGreaterThan(14_000);
  }

  @Test
  void retryAfterIsAFloorItselfCapped() {
    SplittableRandom r = new SplittableRandom(3);
    assertThat(backoff.delayMs(1, 30_000, r)).isEqualTo(30_000);
    assertThat(backoff.delayMs(7, 1000, r)).isBetween(30_000L, 60_000L);
    assertThat(backoff.delayMs(1, 86_400_000, r)).isEqualTo(Backoff.MAX_RETRY_AFTER_MS);
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-12-04T10:00:00Z");
    assertThat(RetryAfter.parseMs("5", now)).isEqualTo(5000);
    assertThat(RetryAfter.parseMs(" 120 ", now)).isEqualTo(120_000);
    assertThat(RetryAfter.parseMs("Fri, 04 Dec 2026 10:00:30 GMT", now)).isEqualTo(30_000);
    assertThat(RetryAfter.parseMs("Fri, 04 Dec 2026 09:00:00 GMT", now)).isZero();
    assertThat(RetryAfter.parseMs("99999999999999999999", now))
        .isEqualTo(Backoff.MAX_RETRY_AFTER_MS);
    assertThat(RetryAfter.parseMs("soon", now)).isEqualTo(-1);
    assertThat(RetryAfter.parseMs("-5", now)).isEqualTo(-1);
    assertThat(RetryAfter.parseMs(null, now)).isEqualTo(-1);
  }
}
