package dev.trainwatch.rates.bottleneck;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The samples of the last window, by the agent's monotonic clock, and never more than a window can
 * honestly hold. The clock is the agent's own ({@code uptime_ms}), so time alone does not bound the
 * window: samples 1 ms apart would otherwise pile up by the thousand, and every classification
 * walks them all (GPUs × clock reasons each), stalling the rates verticle for the whole fleet
 * (issue 13). Agents sample at least {@link #MIN_SPACING_MS} × 2 apart (an interval under 0.5 s is
 * raised to 0.5 s, CONTRACT §5), so {@code window / MIN_SPACING_MS} leaves room for jitter.
 */
final class SignalWindow implements Iterable<WindowSample> {
  static final long MIN_SPACING_MS = 250;

  private final long windowMs;
  private final int maxSamples;
  private final ArrayDeque<WindowSample> samples = new ArrayDeque<>();

  SignalWindow(long windowMs) {
    this.windowMs = windowMs;
    this.maxSamples = (int) Math.min(100_000, windowMs / MIN_SPACING_MS + 8);
  }

  /**
   * Adds a sample and drops those older than the window. Returns false when the sample is not after
   * the newest one: the timeline broke (the caller rebased onto a regressed clock), so the old
   * samples are meaningless and are dropped first.
   */
  boolean add(WindowSample s) {
    boolean continuous = samples.isEmpty() || s.uptimeMs() > samples.peekLast().uptimeMs();
    if (!continuous) {
      samples.clear();
    }
    samples.addLast(s);
    long oldest = s.uptimeMs() - windowMs;
    while (samples.peekFirst().uptimeMs() < oldest || samples.size() > maxSamples) {
      samples.removeFirst();
    }
    return continuous;
  }

  int size() {
    return samples.size();
  }

  WindowSample newest() {
    return samples.peekLast();
  }

  void clear() {
    samples.clear();
  }

  Averages averages() {
    int n = Signal.ALL.length;
    double[] sum = new double[n];
    int[] count = new int[n];
    boolean rated = false;
    for (WindowSample w : samples) {
      rated |= w.rated();
      double[] v = w.signals();
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(v[i])) {
          sum[i] += v[i];
          count[i]++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      sum[i] = count[i] == 0 ? Double.NaN : sum[i] / count[i];
    }
    long span =
        samples.isEmpty() ? 0 : samples.peekLast().uptimeMs() - samples.peekFirst().uptimeMs();
    return new Averages(sum, samples.size(), rated, span);
  }

  @Override
  public Iterator<WindowSample> iterator() {
    return samples.iterator();
  }
}
