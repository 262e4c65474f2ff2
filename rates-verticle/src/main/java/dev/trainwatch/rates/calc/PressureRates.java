package dev.trainwatch.rates.calc;

/**
 * Linux PSI stall shares over the interval, in % of wall time. They have no place in the derived
 * snapshot yet; the bottleneck classifier uses them because, unlike iowait and %util, they mean
 * "tasks were actually waiting".
 */
public record PressureRates(
    Double cpuSome, Double ioSome, Double ioFull, Double memorySome, Double memoryFull) {
  public static final PressureRates NONE = new PressureRates(null, null, null, null, null);
}
