package dev.trainwatch.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows token guessing without locking out the agents that share an address with the guesser (a
 * NAT, a load balancer). Failures are counted twice: per (address, slug), refused past {@code
 * maxFailures} in {@code window}, and per address over all slugs (unknown ones included, so probing
 * for slugs is counted too), refused past {@code maxFailures} × {@link #ADDRESS_FACTOR}. A request
 * whose token the verdict cache already knows as good is never refused by either: the agents that
 * work keep working while someone next to them guesses. Memory is bounded by the cache size.
 */
final class AuthFailureLimiter {
  static final int ADDRESS_FACTOR = 10;

  private final int maxFailures;
  private final Duration window;
  private final Cache<String, AtomicInteger> failures;

  AuthFailureLimiter(int maxFailures, Duration window) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(window).build();
  }

  boolean blocked(String ip, String slug) {
    return count(ip + '\n' + slug) >= maxFailures
        || count(ip) >= (long) maxFailures * ADDRESS_FACTOR;
  }

  void failed(String ip, String slug) {
    // An entry's expiry is set when it is created, so a stream of failures cannot keep an address
    // blocked forever
    // without also being refused for the whole window.
    failures.get(ip + '\n' + slug, k -> new AtomicInteger()).incrementAndGet();
    failures.get(ip, k -> new AtomicInteger()).incrementAndGet();
  }

  private int count(String key) {
    AtomicInteger n = failures.getIfPresent(key);
    return n == null ? 0 : n.get();
  }

  long retryAfterSeconds() {
    return window.toSeconds();
  }
}
