package dev.trainwatch.collector.system.proc;

import java.util.List;

/** {@code /proc/loadavg}: the 1, 5 and 15 minute load averages. */
public final class Loadavg {
  private Loadavg() {}

  /** Null when the first three words are not all numbers. */
  public static List<Double> parse(String text) {
    String[] w = ProcText.words(text);
    if (w.length < 3) {
      return null;
    }
    try {
      return List.of(Double.parseDouble(w[0]), Double.parseDouble(w[1]), Double.parseDouble(w[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
