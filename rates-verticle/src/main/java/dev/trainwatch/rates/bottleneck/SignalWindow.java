package dev.trainwatch.rates.bottleneck;

import java.util.ArrayDeque;
import java.util.Iterator;

/** The samples of the last window, by the agent's monotonic clock. */
final class SignalWindow implements Iterable<WindowSample> {
  private final long windowMs;
  private final ArrayDeque<WindowSample> samples = new ArrayDeque<>();

  SignalWindow(long windowMs) {
    this.windowMs = windowMs;
  }

  /**
   * Adds a sample and drops those older than the window. Returns false when the sample is not after the newest
   * one: the timeline broke (the caller rebased onto a regressed clock), so the old samples are meaningless and
   * are dropped first.
   */
  boolean add(WindowSample s) {
    boolean continuous = samples.isEmpty() || s.uptimeMs() > samples.peekLast().uptimeMs();
    if (!continuous) {
      samples.clear();
    }
    samples.addLast(s);
    long oldest = s.uptimeMs() - windowMs;
    while (samples.peekFirst().uptimeMs() < oldest) {
      samples.removeFirst();
    }
    return continuous;
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
    long span = samples.isEmpty() ? 0 : samples.peekLast().uptimeMs() - samples.peekFirst().uptimeMs();
    return new Averages(sum, samples.size(), rated, span);
  }

  @Override
  public Iterator<WindowSample> iterator() {
    return samples.iterator();
  }
}
