package dev.trainwatch.agent.send;

import java.util.random.RandomGenerator;

/**
 * How long to wait before the next try after a retried failure: exponential from {@code baseMs},
 * capped at {@code maxMs}, with "equal jitter" (a random half to all of it) so a fleet that lost
 * the server together does not come back in lockstep; never sooner than the server's Retry-After,
 * which is itself capped so a hostile or broken server cannot park an agent for days. Pure.
 */
public record Backoff(long baseMs, long maxMs) {
  /** Longest Retry-After honoured as given. */
  public static final long MAX_RETRY_AFTER_MS = 600_000;

  public Backoff {
    if (baseMs <= 0 || maxMs < baseMs) {
      throw new IllegalArgumentException("backoff needs 0 < base <= max");
    }
  }

  /**
   * @param failures failures in a row so far, at least 1
   * @param retryAfterMs the server's Retry-After in ms, or negative for none
   */
  public long delayMs(int failures, long retryAfterMs, RandomGenerator random) {
    int doublings = Math.max(failures, 1) - 1;
    // base << doublings, unless that would overflow: then the cap holds anyway.
    long ceiling =
        doublings < Long.numberOfLeadingZeros(baseMs) - 1
            ? Math.min(maxMs, baseMs << doublings)
            : maxMs;
    long jittered = ceiling - (long) (random.nextDouble() * (ceiling / 2));
    long floor = retryAfterMs < 0 ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
    return Math.max(jittered, floor);
  }
}
