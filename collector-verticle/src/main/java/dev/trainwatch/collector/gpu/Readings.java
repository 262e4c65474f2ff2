package dev.trainwatch.collector.gpu;

/**
 * Keeps readings inside the ranges the ingest contract accepts ({@code GpuRaw.fromJson}). A value
 * outside them is a driver glitch or a sentinel; sending it would get the whole snapshot rejected,
 * so it becomes absent instead.
 */
public final class Readings {
  private Readings() {}

  public static Double percent(double v) {
    return within(v, 0, 100);
  }

  /** NVML's fan speed is the intended speed and may exceed 100 %. */
  public static Double fanPercent(double v) {
    return within(v, 0, 255);
  }

  public static Double celsius(double v) {
    return within(v, -60, 200);
  }

  public static Double watts(double v) {
    return within(v, 0, 10_000);
  }

  public static Double mhz(double v) {
    return within(v, 0, 100_000);
  }

  public static Double bytesPerSecond(double v) {
    return within(v, 0, 1e13);
  }

  /** Counters and byte sizes must be non-negative and fit in a signed long. */
  public static Long count(long v) {
    return v < 0 ? null : v;
  }

  private static Double within(double v, double min, double max) {
    return Double.isFinite(v) && v >= min && v <= max ? v : null;
  }
}
