package dev.trainwatch.collector.system.proc;

/**
 * One {@code /proc/pressure/<resource>} file: the {@code total=} stall counters in microseconds.
 * {@code full} is null where the kernel prints no such line (cpu before 5.13).
 */
public record Pressure(Long someTotalUs, Long fullTotalUs) {

  public static Pressure parse(String text) {
    Long some = null, full = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("some ")) {
        some = total(line);
      } else if (line.startsWith("full ")) {
        full = total(line);
      }
    }
    return new Pressure(some, full);
  }

  private static Long total(String line) {
    for (String w : ProcText.words(line)) {
      if (w.startsWith("total=")) {
        return ProcText.unsigned(w.substring(6));
      }
    }
    return null;
  }
}
