package dev.trainwatch.rates.bottleneck;

import dev.trainwatch.bus.derived.Bottleneck;
import dev.trainwatch.rates.calc.Figures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Labels a server's bottleneck from a sliding window of its figures, with two guards against
 * flapping: rules already in the current label are judged by looser exit thresholds, and a
 * different label must be called for continuously for a whole window before it replaces the current
 * one. The first label after a start or reset is taken at once, since there is nothing to protect
 * yet. Not thread-safe; one owner.
 */
public final class BottleneckClassifier {
  /** What the bus model accepts per list. */
  static final int MAX_ITEMS = 64;

  private final long windowMs;
  private final SignalWindow window;
  private Label current;
  private Label pending;
  private long pendingSinceMs;
  private Bottleneck last;

  public BottleneckClassifier(Duration window) {
    if (window.isNegative()) {
      throw new IllegalArgumentException("window must not be negative: " + window);
    }
    this.windowMs = window.toMillis();
    this.window = new SignalWindow(windowMs);
  }

  /**
   * Adds one sample's figures and returns the bottleneck, or null while there is nothing to judge
   * (no interval with rates since the start or the last reset, or no figure at all).
   *
   * @param uptimeMs the agent's monotonic clock: the window's time axis
   * @param rated whether the figures include rates
   */
  public Bottleneck observe(long uptimeMs, boolean rated, Figures figures) {
    if (!window.add(WindowSample.of(uptimeMs, rated, figures, window.newest()))) {
      pending = null;
    }
    Averages a = window.averages();
    if (!a.rated() || !a.any()) {
      last = null;
      return null;
    }
    decide(RuleTable.decide(a, current), uptimeMs);
    last = describe(a, uptimeMs);
    return last;
  }

  /**
   * The bottleneck as last decided, for samples that must not move the window (stale or out of
   * order).
   */
  public Bottleneck current() {
    return last;
  }

  /**
   * Forgets everything: after a reboot the old window and label describe another life of the
   * machine.
   */
  public void reset() {
    window.clear();
    current = null;
    pending = null;
    last = null;
  }

  private void decide(Label candidate, long nowMs) {
    if (current == null || candidate.equals(current)) {
      current = candidate;
      pending = null;
      return;
    }
    if (!candidate.equals(pending)) {
      pending = candidate;
      pendingSinceMs = nowMs;
    }
    if (nowMs - pendingSinceMs >= windowMs) {
      current = candidate;
      pending = null;
    }
  }

  private Bottleneck describe(Averages a, long nowMs) {
    List<String> reasons = new ArrayList<>(4);
    List<String> flags = new ArrayList<>(2);
    reasons.add(Reasons.forLabel(current, a, true, windowMs));
    if (pending != null) {
      reasons.add(Reasons.pending(pending, nowMs - pendingSinceMs, windowMs));
    }
    GpuFlags.collect(window, a, windowMs, flags, reasons);
    return new Bottleneck(current.name(), cap(reasons), cap(flags));
  }

  private static List<String> cap(List<String> items) {
    return List.copyOf(items.size() > MAX_ITEMS ? items.subList(0, MAX_ITEMS) : items);
  }
}
