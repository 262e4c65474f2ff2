package dev.trainwatch.collector.system.proc;

/**
 * The lines of {@code /proc/meminfo} the collector uses, in bytes. A key the kernel does not print
 * is null (MemAvailable needs 3.14+), never estimated.
 */
public record Meminfo(
    Long totalBytes, Long availableBytes, Long swapTotalBytes, Long swapFreeBytes) {

  public static Meminfo parse(String text) {
    Long total = null, available = null, swapTotal = null, swapFree = null;
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String key = line.substring(0, colon);
      switch (key) {
        case "MemTotal" -> total = bytes(line, colon);
        case "MemAvailable" -> available = bytes(line, colon);
        case "SwapTotal" -> swapTotal = bytes(line, colon);
        case "SwapFree" -> swapFree = bytes(line, colon);
        default -> {}
      }
    }
    return new Meminfo(total, available, swapTotal, swapFree);
  }

  /** Values are printed in "kB", which the kernel means as KiB. */
  private static Long bytes(String line, int colon) {
    String[] w = ProcText.words(line.substring(colon + 1));
    if (w.length == 0) {
      return null;
    }
    Long v = ProcText.unsigned(w[0]);
    if (v == null) {
      return null;
    }
    if (w.length > 1 && w[1].equalsIgnoreCase("kB")) {
      return v * 1024;
    }
    return v;
  }
}
