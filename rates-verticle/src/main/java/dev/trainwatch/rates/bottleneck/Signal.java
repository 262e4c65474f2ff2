package dev.trainwatch.rates.bottleneck;

/** The window-averaged figures the rules read, with how a reason names and prints them. */
public enum Signal {
  GPU_UTIL_AVG("GPU util avg", Unit.PERCENT),
  GPU_UTIL_MAX("GPU util max", Unit.PERCENT),
  CPU_UTIL("CPU", Unit.PERCENT),
  /** Cores at or above {@link RuleTable#SATURATED_CORE_PERCENT} busy. */
  CPU_SATURATED_CORES("saturated cores", Unit.COUNT),
  CPU_CORES("cores", Unit.COUNT),
  CPU_IOWAIT("iowait", Unit.PERCENT),
  DISK_UTIL_MAX("busiest disk", Unit.PERCENT),
  RAM_AVAILABLE("RAM available", Unit.PERCENT),
  SWAP_IO("swap in+out", Unit.BYTES_PER_S),
  PSI_IO_SOME("IO stall (PSI some)", Unit.PERCENT),
  PSI_MEMORY_SOME("memory stall (PSI some)", Unit.PERCENT);

  static final Signal[] ALL = values();

  public enum Unit {
    PERCENT,
    COUNT,
    BYTES_PER_S
  }

  public final String title;
  public final Unit unit;

  Signal(String title, Unit unit) {
    this.title = title;
    this.unit = unit;
  }
}
