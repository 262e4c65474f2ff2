package dev.trainwatch.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source's health: every reading is timed ({@code trainwatch.collector.source.duration}, tagged
 * with the source and its outcome) and every failure counted ({@code
 * trainwatch.collector.source.errors}). The log gets a line only when the state changes (first
 * failure, a different error, recovery), never one per sample.
 */
final class SourceHealth {
  private static final Logger LOG = LoggerFactory.getLogger(SourceHealth.class);

  /** Told of every change of state; {@code error} is null when the source is healthy again. */
  interface Listener {
    void changed(String source, String error);
  }

  private final String source;
  private final Timer success;
  private final Timer failure;
  private final Counter errors;
  private final Listener listener;

  /**
   * Null until the first reading; "" healthy; else the last error. Written by one worker at a time.
   */
  private volatile String state;

  private long failuresInRow;

  SourceHealth(String source, MeterRegistry registry, Listener listener) {
    this.source = source;
    this.success = timer(registry, source, "success");
    this.failure = timer(registry, source, "error");
    this.errors =
        Counter.builder("trainwatch.collector.source.errors")
            .tag("source", source)
            .description("Failed readings of a collector source")
            .register(registry);
    this.listener = listener;
  }

  private static Timer timer(MeterRegistry registry, String source, String outcome) {
    return Timer.builder("trainwatch.collector.source.duration")
        .tag("source", source)
        .tag("outcome", outcome)
        .description("Time to read one collector source")
        .register(registry);
  }

  /**
   * Runs one reading; a failure is recorded and answered with null so the rest of the sample goes
   * on.
   */
  <T> T measure(Callable<T> reading) {
    long t0 = System.nanoTime();
    try {
      T value = reading.call();
      success.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
      healthy();
      return value;
    } catch (Exception | LinkageError e) {
      failure.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
      errors.increment();
      failed(describe(e), e);
      return null;
    }
  }

  /** Null before the first reading, "" when the last one worked, else its error. */
  String state() {
    return state;
  }

  private void healthy() {
    String before = state;
    if ("".equals(before)) {
      return;
    }
    state = "";
    if (before != null) {
      LOG.info("Collector source {} recovered after {} failed readings", source, failuresInRow);
    }
    failuresInRow = 0;
    listener.changed(source, null);
  }

  private void failed(String error, Throwable e) {
    failuresInRow++;
    if (error.equals(state)) {
      return;
    }
    state = error;
    // The stack trace once, at the first failure of a kind; repeats of the same error stay silent.
    LOG.warn(
        "Collector source {} failed: {} (logged again only when this changes)", source, error, e);
    listener.changed(source, error);
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
