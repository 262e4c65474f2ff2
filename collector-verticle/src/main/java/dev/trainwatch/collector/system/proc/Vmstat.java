package dev.trainwatch.collector.system.proc;

/** {@code /proc/vmstat} swap counters, in pages (PAGE_SIZE each). */
public record Vmstat(Long swapInPages, Long swapOutPages) {

  public static Vmstat parse(String text) {
    Long in = null, out = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("pswpin ")) {
        in = ProcText.unsigned(ProcText.words(line), 1);
      } else if (line.startsWith("pswpout ")) {
        out = ProcText.unsigned(ProcText.words(line), 1);
      }
    }
    return new Vmstat(in, out);
  }
}
