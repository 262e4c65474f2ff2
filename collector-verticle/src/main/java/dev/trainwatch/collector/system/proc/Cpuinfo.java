package dev.trainwatch.collector.system.proc;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /proc/cpuinfo} "cpu MHz" per logical CPU: the frequency source when cpufreq is not in
 * sysfs (x86 VMs).
 */
public final class Cpuinfo {
  private Cpuinfo() {}

  /**
   * MHz per "processor" number; architectures that print no "cpu MHz" (most ARM) give an empty map.
   */
  public static Map<Integer, Double> parseMhz(String text) {
    Map<Integer, Double> out = new TreeMap<>();
    Integer processor = null;
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      try {
        if (key.equals("processor")) {
          processor = Integer.parseInt(value);
        } else if (key.equals("cpu MHz") && processor != null) {
          double mhz = Double.parseDouble(value);
          if (mhz > 0) {
            out.put(processor, mhz);
          }
        }
      } catch (NumberFormatException e) {
        // old ARM kernels print "Processor : ARMv7 …"; a value that is not a number says nothing
        // about frequency
      }
    }
    return out;
  }
}
