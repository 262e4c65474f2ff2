package dev.trainwatch.alerts.eval;

import dev.trainwatch.alerts.rules.Metric;
import dev.trainwatch.alerts.rules.Op;
import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.Xid;
import java.util.Locale;

/**
 * The one-line message an alert carries: what, where, how much, against what. Read by people at 3
 * a.m.
 */
final class Messages {
  private Messages() {}

  static String of(Rule rule, Integer gpu, Object value) {
    String where = gpu == null ? "" : "GPU " + gpu + " ";
    Metric m = rule.metric();
    return switch (m) {
      case GPU_XID -> {
        long xid = ((Number) value).longValue();
        yield where + "XID " + xid + ": " + Xid.meaning(xid);
      }
      case GPU_ECC_UNCORRECTED -> where + "uncorrected ECC errors rose by " + num(value);
      case GPU_THROTTLED -> where + "clocks held down by a thermal or power limit" + forPart(rule);
      case GPU_IDLE_MEMORY_PERCENT ->
          where + "holds " + num(value) + " % of its memory at 0 % utilization" + forPart(rule);
      case SERVER_OFFLINE -> "no snapshot for " + num(value) + " s";
      case BOTTLENECK_LABEL ->
          "bottleneck "
              + value
              + (rule.op() == Op.EQ ? "" : " (not " + rule.threshold() + ")")
              + forPart(rule);
      default ->
          where
              + label(m)
              + " "
              + num(value)
              + unit(m)
              + " "
              + rule.op().symbol.replace(">=", "≥").replace("<=", "≤")
              + " "
              + num(rule.threshold())
              + unit(m)
              + forPart(rule);
    };
  }

  private static String label(Metric m) {
    String s = m.id.substring(m.id.indexOf('.') + 1).replace("_percent", "").replace('_', ' ');
    return m.id.startsWith("memory.")
        ? "host memory " + s
        : m.id.startsWith("disk.") ? "busiest disk " + s : s;
  }

  private static String unit(Metric m) {
    return m.unit.isEmpty() ? "" : m.unit.equals("%") ? " %" : " " + m.unit;
  }

  private static String forPart(Rule rule) {
    long s = rule.forDuration().toSeconds();
    return s == 0 ? "" : s % 60 == 0 ? " for " + s / 60 + " min" : " for " + s + " s";
  }

  static String num(Object v) {
    if (v instanceof Number n) {
      String s = String.format(Locale.ROOT, "%.1f", n.doubleValue());
      return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
    return String.valueOf(v);
  }
}
