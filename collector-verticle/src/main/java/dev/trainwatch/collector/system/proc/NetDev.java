package dev.trainwatch.collector.system.proc;

import java.util.ArrayList;
import java.util.List;

/** {@code /proc/net/dev}: per-interface counters since the interface was created. */
public final class NetDev {
  private NetDev() {}

  public record Interface(
      String name,
      long rxBytes,
      long rxPackets,
      long rxErrors,
      long txBytes,
      long txPackets,
      long txErrors) {}

  /**
   * The name ends at the colon, which is not always followed by a space ({@code eth0:12345678} once
   * the byte count is wide enough), so the line is cut there before splitting. The two header lines
   * have no colon-terminated name with 16 numbers and are skipped like any malformed line.
   */
  public static List<Interface> parse(String text) {
    List<Interface> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).strip();
      String[] w = ProcText.words(line.substring(colon + 1));
      if (name.isEmpty() || w.length < 16) {
        continue;
      }
      Long rxBytes = ProcText.unsigned(w[0]);
      Long rxPackets = ProcText.unsigned(w[1]);
      Long rxErrors = ProcText.unsigned(w[2]);
      Long txBytes = ProcText.unsigned(w[8]);
      Long txPackets = ProcText.unsigned(w[9]);
      Long txErrors = ProcText.unsigned(w[10]);
      if (rxBytes == null
          || rxPackets == null
          || rxErrors == null
          || txBytes == null
          || txPackets == null
          || txErrors == null) {
        continue;
      }
      out.add(new Interface(name, rxBytes, rxPackets, rxErrors, txBytes, txPackets, txErrors));
    }
    return out;
  }
}
