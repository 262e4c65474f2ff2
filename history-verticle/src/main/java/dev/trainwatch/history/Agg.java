package dev.trainwatch.history;

import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.Map;

/**
 * Min/avg/max/last of every stored position over a set of rows: one raw bucket, one hour for the downsampler, or
 * several hourly rows merged into a coarser step. Aggregating in Java rather than in SQL keeps one implementation for
 * all three, and is cheaper than unnesting ~200 array elements per row in Postgres. Absent values (NaN) are skipped,
 * so an average is over the samples that had the figure.
 */
final class Agg {
  final long start;
  long samples;
  long gaps;
  /** For hourly input: the end of the last hour folded in. */
  java.time.Instant lastHourEnd;
  private final Map<String, Integer> labels = new HashMap<>();
  private final Stat[] groups = new Stat[Layout.GROUPS.length];

  Agg(long start) {
    this.start = start;
    for (int g = 0; g < groups.length; g++) {
      groups[g] = new Stat();
    }
  }

  /** A {@code samples} row (columns gap, bn, h, m, c, gs, gf, d, n). */
  void addRaw(Row r) {
    samples++;
    if (Boolean.TRUE.equals(r.getBoolean("gap"))) {
      gaps++;
    }
    label(r.getString("bn"), 1);
    Float[] h = r.getArrayOfFloats("h");
    for (int i = 0; i < h.length; i++) {
      groups[Layout.H].add(i, h[i]);
    }
    Long[] m = r.getArrayOfLongs("m");
    for (int i = 0; i < m.length; i++) {
      groups[Layout.M].add(i, m[i] == Layout.NO_LONG ? Double.NaN : m[i]);
    }
    Short[] c = r.getArrayOfShorts("c");
    for (int i = 0; i < c.length; i++) {
      groups[Layout.C].add(i, Layout.coreValue(c[i]));
    }
    Short[] gs = r.getArrayOfShorts("gs");
    for (int i = 0; i < gs.length; i++) {
      groups[Layout.GS].add(i, Layout.gsValue(gs[i], i % Layout.GS_KEYS.length));
    }
    floats(Layout.GF, r.getArrayOfFloats("gf"));
    floats(Layout.D, r.getArrayOfFloats("d"));
    floats(Layout.N, r.getArrayOfFloats("n"));
  }

  /** A {@code samples_hourly} row; its averages weigh by the hour's sample count. */
  void addHourly(Row r) {
    long w = r.getInteger("samples");
    samples += w;
    gaps += r.getInteger("gaps");
    label(r.getString("bn"), w);
    for (int g = 0; g < groups.length; g++) {
      Float[] a = r.getArrayOfFloats(Layout.GROUPS[g]);
      int len = a.length / 4;
      for (int i = 0; i < len; i++) {
        groups[g].merge(i, a[i], a[len + i], a[2 * len + i], a[3 * len + i], w);
      }
    }
  }

  /** One group as stored in {@code samples_hourly}: [min…, avg…, max…, last…]. */
  Float[] hourlyArray(int g) {
    Stat s = groups[g];
    Float[] out = new Float[4 * s.len];
    for (int i = 0; i < s.len; i++) {
      out[i] = (float) s.min(i);
      out[s.len + i] = (float) s.avg(i);
      out[2 * s.len + i] = (float) s.max(i);
      out[3 * s.len + i] = (float) s.last[i];
    }
    return out;
  }

  /** The most frequent bottleneck label, ties to the alphabetically first so re-aggregation is stable. */
  String label() {
    String best = null;
    long n = -1;
    for (var e : labels.entrySet()) {
      if (e.getValue() > n || e.getValue() == n && e.getKey().compareTo(best) < 0) {
        best = e.getKey();
        n = e.getValue();
      }
    }
    return best;
  }

  Stat group(int g) {
    return groups[g];
  }

  private void label(String l, long w) {
    if (l != null) {
      labels.merge(l, (int) w, Integer::sum);
    }
  }

  private void floats(int g, Float[] a) {
    for (int i = 0; i < a.length; i++) {
      groups[g].add(i, a[i]);
    }
  }

  /** Per-position accumulators of one group; positions grow with the widest row seen. */
  static final class Stat {
    int len;
    double[] min = new double[0];
    double[] max = new double[0];
    double[] sum = new double[0];
    double[] weight = new double[0];
    double[] last = new double[0];

    void add(int i, double v) {
      merge(i, v, v, v, v, 1);
    }

    void merge(int i, double mn, double avg, double mx, double ls, long w) {
      grow(i + 1);
      if (Double.isNaN(avg)) {
        return;
      }
      min[i] = Math.min(min[i], mn);
      max[i] = Math.max(max[i], mx);
      sum[i] += avg * w;
      weight[i] += w;
      last[i] = ls;
    }

    double avg(int i) {
      return i < len && weight[i] > 0 ? sum[i] / weight[i] : Double.NaN;
    }

    double min(int i) {
      return i < len && weight[i] > 0 ? min[i] : Double.NaN;
    }

    double max(int i) {
      return i < len && weight[i] > 0 ? max[i] : Double.NaN;
    }

    double last(int i) {
      return i < len ? last[i] : Double.NaN;
    }

    private void grow(int n) {
      if (n <= len) {
        return;
      }
      int cap = Math.max(n, min.length);
      if (cap > min.length) {
        cap = Math.max(cap, min.length * 2);
        min = copy(min, cap, Double.POSITIVE_INFINITY);
        max = copy(max, cap, Double.NEGATIVE_INFINITY);
        sum = copy(sum, cap, 0);
        weight = copy(weight, cap, 0);
        last = copy(last, cap, Double.NaN);
      }
      len = n;
    }

    private static double[] copy(double[] a, int cap, double fill) {
      double[] b = java.util.Arrays.copyOf(a, cap);
      java.util.Arrays.fill(b, a.length, cap, fill);
      return b;
    }
  }
}
