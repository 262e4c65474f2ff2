package dev.trainwatch.collector.system;

/**
 * Host uptime read once from the OS, then advanced by the JVM's monotonic clock: the OS figure has
 * coarse resolution (/proc/uptime: 10 ms, 1 % of jitter on every 1 s rate), {@code
 * System.nanoTime()} has none, and like the kernel's tick counters CLOCK_MONOTONIC stops during
 * suspend.
 */
record UptimeClock(long uptimeAtStartMs, long startNanos) {

  static UptimeClock startingAt(long uptimeMs) {
    return new UptimeClock(uptimeMs, System.nanoTime());
  }

  long nowMs() {
    return uptimeAtStartMs + (System.nanoTime() - startNanos) / 1_000_000;
  }
}
