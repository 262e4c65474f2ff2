package dev.trainwatch.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The live tests' own reading of /proc, deliberately written apart from the collector's parsers
 * (plain split, no shared code) so a parser bug cannot hide by agreeing with itself.
 */
final class HostProc {
  private HostProc() {}

  static String read(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + path, e);
    }
  }

  /** cpuN → the first 8 numbers in USER_HZ ticks. */
  static Map<Integer, long[]> cpuTicks() {
    Map<Integer, long[]> out = new HashMap<>();
    for (String line : read("/proc/stat").split("\n")) {
      if (line.matches("cpu\\d+ .*")) {
        String[] w = line.trim().split(" +");
        long[] t = new long[8];
        for (int i = 0; i < 8; i++) {
          t[i] = Long.parseLong(w[i + 1]);
        }
        out.put(Integer.parseInt(w[0].substring(3)), t);
      }
    }
    return out;
  }

  static long meminfoKb(String key) {
    for (String line : read("/proc/meminfo").split("\n")) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new AssertionError(key + " not in /proc/meminfo");
  }

  /**
   * Device name → its whitespace-split fields after the name (field 1 = reads completed at index
   * 0).
   */
  static Map<String, long[]> diskstats() {
    Map<String, long[]> out = new HashMap<>();
    for (String line : read("/proc/diskstats").split("\n")) {
      String[] w = line.trim().split(" +");
      long[] f = new long[w.length - 3];
      for (int i = 0; i < f.length; i++) {
        f[i] = Long.parseLong(w[i + 3]);
      }
      out.put(w[2], f);
    }
    return out;
  }

  /** Interface → its 16 counters (rx bytes at 0, tx bytes at 8). */
  static Map<String, long[]> netDev() {
    Map<String, long[]> out = new HashMap<>();
    String[] lines = read("/proc/net/dev").split("\n");
    for (int l = 2; l < lines.length; l++) {
      String[] nameAndRest = lines[l].split(":", 2);
      String[] w = nameAndRest[1].trim().split(" +");
      long[] f = new long[16];
      for (int i = 0; i < 16; i++) {
        f[i] = Long.parseLong(w[i]);
      }
      out.put(nameAndRest[0].trim(), f);
    }
    return out;
  }

  static long userHz() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      throw new AssertionError("getconf CLK_TCK failed", e);
    }
  }
}
