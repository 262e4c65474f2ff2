package dev.trainwatch.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows token guessing: a client address that failed authentication {@code maxFailures} times within
 * {@code window} is refused (429) until the window since its first failure passes. Only failures count, so an
 * agent with a valid token is never slowed, and memory is bounded by the cache size.
 */
final class AuthFailureLimiter {
  private final int maxFailures;
  private final Duration window;
  private final Cache<String, AtomicInteger> failures;

  AuthFailureLimiter(int maxFailures, Duration window) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(window).build();
  }

  boolean blocked(String ip) {
    AtomicInteger n = failures.getIfPresent(ip);
    return n != null && n.get() >= maxFailures;
  }

  void failed(String ip) {
    // The entry's expiry is set when it is created, so a stream of failures cannot keep an address blocked forever
    // without also being refused for the whole window.
    failures.get(ip, k -> new AtomicInteger()).incrementAndGet();
  }

  long retryAfterSeconds() {
    return window.toSeconds();
  }
}
