package dev.trainwatch.collector.gpu.smi;

/** Capture helpers for tests outside this package. */
public final class SmiTestAccess {
  private SmiTestAccess() {}

  public static String help(String capture) {
    return Captures.help(capture);
  }

  /** The capture's load row as the query chosen from {@code help} would print it. */
  public static String h100LoadCsv(String help) {
    SmiQuery q = SmiQuery.choose(SmiQuery.validNames(help));
    return Captures.project("linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt", "load", q) + "\n";
  }
}
