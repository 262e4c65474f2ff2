package dev.trainwatch.rates.bottleneck;

import dev.trainwatch.rates.bottleneck.RuleTable.Match;
import dev.trainwatch.rates.bottleneck.RuleTable.Rule;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Writes why a label holds: the clauses of its rules with the window averages and the threshold
 * they were judged by, then the other headline figures, e.g. {@code cpu-bound: CPU 97 % ≥ 85 %
 * (32/32 cores ≥ 90 %); GPU util avg 23 %, iowait 1 %, busiest disk 4 % over 10 s (6 samples)}.
 */
final class Reasons {
  private static final List<Signal> CONTEXT =
      List.of(
          Signal.GPU_UTIL_AVG,
          Signal.GPU_UTIL_MAX,
          Signal.CPU_UTIL,
          Signal.CPU_IOWAIT,
          Signal.DISK_UTIL_MAX,
          Signal.RAM_AVAILABLE);

  private Reasons() {}

  /**
   * @param staying the label is the current one, so its rules are judged by their exit thresholds
   */
  static String forLabel(Label label, Averages a, boolean staying, long windowMs) {
    StringBuilder b = new StringBuilder(160).append(label.name()).append(": ");
    EnumSet<Signal> shown = EnumSet.noneOf(Signal.class);
    boolean first = true;
    for (Rule r : label.rules()) {
      for (Threshold t : shownClauses(r, a, staying)) {
        if (!first) {
          b.append(", ");
        }
        first = false;
        clause(b, t, a, staying);
        shown.add(t.signal());
      }
    }
    if (first) {
      // balanced has no rule; a held label can lose its signals (the agent stopped sending a
      // section).
      b.append(label.rules().isEmpty() ? "no rule fired" : "its signals are absent");
    }
    String sep = "; ";
    for (Signal s : CONTEXT) {
      double v = a.get(s);
      if (Double.isNaN(v) || shown.contains(s)) {
        continue;
      }
      b.append(sep);
      sep = ", ";
      Fmt.value(b.append(s.title).append(' '), s, v);
      cores(b, s, a);
    }
    b.append(" over ");
    return Fmt.seconds(b, windowMs)
        .append(" (")
        .append(a.samples())
        .append(a.samples() == 1 ? " sample)" : " samples)")
        .toString();
  }

  static String pending(Label pending, long heldMs, long windowMs) {
    StringBuilder b = new StringBuilder(64).append(pending.name()).append(" pending for ");
    Fmt.seconds(b, heldMs).append(" of ");
    return Fmt.seconds(b, windowMs).toString();
  }

  /**
   * ALL rules show every present clause. ANY rules show the clauses that hold at their enter
   * threshold, else those that hold only at the exit one, else every present clause (the label is
   * being held while its rule no longer fires), so a reason never lists a clause that did not
   * matter.
   */
  private static List<Threshold> shownClauses(Rule r, Averages a, boolean staying) {
    List<Threshold> present = new ArrayList<>(r.clauses.size());
    for (Threshold t : r.clauses) {
      if (!Double.isNaN(a.get(t.signal()))) {
        present.add(t);
      }
    }
    if (r.match == Match.ALL) {
      return present;
    }
    List<Threshold> entering = holding(present, a, false);
    if (!entering.isEmpty()) {
      return entering;
    }
    List<Threshold> stayingOnly = staying ? holding(present, a, true) : List.of();
    return stayingOnly.isEmpty() ? present : stayingOnly;
  }

  private static List<Threshold> holding(List<Threshold> clauses, Averages a, boolean staying) {
    List<Threshold> out = new ArrayList<>(clauses.size());
    for (Threshold t : clauses) {
      if (t.holds(a.get(t.signal()), staying)) {
        out.add(t);
      }
    }
    return out;
  }

  private static void clause(StringBuilder b, Threshold t, Averages a, boolean staying) {
    Signal s = t.signal();
    double v = a.get(s);
    Fmt.value(b.append(s.title).append(' '), s, v).append(' ');
    if (t.holds(v, false)) {
      Fmt.value(b.append(t.op().holds).append(' '), s, t.enter());
    } else if (staying && t.holds(v, true)) {
      Fmt.value(b.append(t.op().holds).append(' '), s, t.exit()).append(" to stay");
    } else {
      Fmt.value(b.append(t.op().fails).append(' '), s, staying ? t.exit() : t.enter());
    }
    cores(b, s, a);
  }

  private static void cores(StringBuilder b, Signal s, Averages a) {
    double cores = a.get(Signal.CPU_CORES);
    if (s != Signal.CPU_UTIL || Double.isNaN(cores)) {
      return;
    }
    b.append(" (")
        .append(Math.round(a.get(Signal.CPU_SATURATED_CORES)))
        .append('/')
        .append(Math.round(cores))
        .append(" cores ≥ ");
    Fmt.number(b, RuleTable.SATURATED_CORE_PERCENT).append(" %)");
  }
}
