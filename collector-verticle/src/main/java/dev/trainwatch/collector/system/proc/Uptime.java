package dev.trainwatch.collector.system.proc;

import java.math.BigDecimal;

/** {@code /proc/uptime}: seconds since boot with centisecond resolution, first of two numbers. */
public final class Uptime {
  private Uptime() {}

  /** Milliseconds since boot; decimal arithmetic so "12.34" is exactly 12340, not 12339.999…. */
  public static long parseMs(String text) {
    String[] w = ProcText.words(text);
    if (w.length == 0) {
      throw new IllegalArgumentException("empty /proc/uptime");
    }
    return new BigDecimal(w[0]).movePointRight(3).longValue();
  }
}
