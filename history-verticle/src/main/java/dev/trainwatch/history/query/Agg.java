package dev.trainwatch.history.query;

import dev.trainwatch.history.layout.Field;
import dev.trainwatch.history.layout.Fields;
import dev.trainwatch.history.layout.Layout;
import dev.trainwatch.history.layout.Scale;
import dev.trainwatch.history.layout.Scale.Pg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
// Internal API, allow-listed with its reason in launcher's InternalApiFenceTest.
// Vert.x internal API, on purpose: allow-listed with its reason and measurement in
// InternalApiFenceTest.
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.sqlclient.Row;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Min/avg/max/last of every stored position over a set of rows: one raw bucket, one hour for the
 * downsampler, or several hourly rows merged into a coarser step. Aggregating in Java rather than
 * in SQL keeps one implementation for all three, and is cheaper than unnesting ~200 array elements
 * per row in Postgres. Absent values (NaN) are skipped, so an average is over the samples that had
 * the figure.
 */
public final class Agg {
  public final long start;
  long samples;
  long gaps;

  /** For hourly input: the end of the last hour folded in. */
  Instant lastHourEnd;

  private final Map<String, Integer> labels = new HashMap<>();
  private final Stat[] groups = new Stat[Layout.GROUPS.length];

  public Agg(long start) {
    this.start = start;
    for (int g = 0; g < groups.length; g++) {
      groups[g] = new Stat();
    }
  }

  /** A {@code samples} row as {@link #raw} selects it: ts, gap, bn, a. */
  public void addRaw(Row r) {
    ByteBuf a = ((BufferInternal) r.getBuffer(3)).getByteBuf();
    if (a.hasArray()) { // the client's bytea is a heap copy already: read it in place
      addRaw(
          Boolean.TRUE.equals(r.getBoolean(1)),
          r.getString(2),
          a.array(),
          a.arrayOffset() + a.readerIndex());
    } else {
      addRaw(Boolean.TRUE.equals(r.getBoolean(1)), r.getString(2), ByteBufUtil.getBytes(a), 0);
    }
  }

  /**
   * One raw sample: its seven arrays as {@code array_send} wrote them, one after the other. Parsing
   * the binary array format here, straight into the accumulators, avoids the client's boxed {@code
   * Float[]}/{@code Short[]} (~200 objects per row) and one pass over them.
   */
  void addRaw(boolean gap, String bn, byte[] a, int from) {
    samples++;
    if (gap) {
      gaps++;
    }
    label(bn, 1);
    int p = from;
    for (int g = 0; g < groups.length; g++) {
      int n =
          length(
              a,
              p,
              g == Layout.M ? Pg.INT8 : g == Layout.C || g == Layout.GS ? Pg.INT2 : Pg.FLOAT4);
      p = start(a, p);
      Stat s = groups[g];
      s.grow(n);
      switch (g) {
        case Layout.M -> {
          for (int i = 0; i < n; i++, p += 12) {
            long v = (long) LONG.get(a, p + 4);
            if (v != Scale.NO_LONG) {
              s.add1(i, v);
            }
          }
        }
        case Layout.C -> {
          for (int i = 0; i < n; i++, p += 6) {
            short v = (short) SHORT.get(a, p + 4);
            if (v != Scale.NO_SHORT) {
              s.add1(i, v / CORE_STEPS);
            }
          }
        }
        case Layout.GS -> {
          int k = 0;
          for (int i = 0; i < n; i++, p += 6) {
            short v = (short) SHORT.get(a, p + 4);
            if (v != Scale.NO_SHORT) {
              s.add1(i, v / GS_STEPS[k]);
            }
            if (++k == GS_STEPS.length) {
              k = 0;
            }
          }
        }
        default -> {
          for (int i = 0; i < n; i++, p += 8) {
            float v = (float) FLOAT.get(a, p + 4);
            if (v == v) {
              s.add1(i, v);
            }
          }
        }
      }
    }
  }

  /**
   * A {@code samples_hourly} row (hour, samples, gaps, bn, a); its averages weigh by the sample
   * count.
   */
  void addHourly(Row r) {
    ByteBuf a = ((BufferInternal) r.getBuffer(4)).getByteBuf();
    if (a.hasArray()) {
      addHourly(
          r.getInteger(1),
          r.getInteger(2),
          r.getString(3),
          a.array(),
          a.arrayOffset() + a.readerIndex());
    } else {
      addHourly(r.getInteger(1), r.getInteger(2), r.getString(3), ByteBufUtil.getBytes(a), 0);
    }
  }

  /**
   * One hourly row: seven real arrays of [min…, avg…, max…, last…], as {@code array_send} wrote
   * them.
   */
  void addHourly(long w, long hourGaps, String bn, byte[] a, int from) {
    samples += w;
    gaps += hourGaps;
    label(bn, w);
    int p = from;
    for (int g = 0; g < groups.length; g++) {
      int n = length(a, p, Pg.FLOAT4);
      p = start(a, p);
      int len = n / 4;
      Stat s = groups[g];
      s.grow(len);
      for (int i = 0; i < len; i++) {
        int q = p + 8 * i + 4;
        s.merge(
            i,
            (float) FLOAT.get(a, q),
            (float) FLOAT.get(a, q + 8 * len),
            (float) FLOAT.get(a, q + 16 * len),
            (float) FLOAT.get(a, q + 24 * len),
            w);
      }
      p += 8 * n;
    }
  }

  /**
   * The aggregation reads every array in {@code array_send}'s binary format, the seven concatenated
   * into one {@code bytea}: Postgres produces that format for a binary result anyway, and as bytea
   * the client hands it over as bytes instead of boxing each element. {@code rows} must be a
   * subquery that already has the time order; the concatenation then happens after its sort, which
   * keeps sorting the compact arrays (in memory) rather than the wider bytea (spilled to disk past
   * work_mem for an hour of samples).
   */
  static String select(String keyColumns, String rows) {
    return "SELECT "
        + keyColumns
        + ", array_send(h) || array_send(m) || array_send(c) || array_send(gs)"
        + " || array_send(gf) || array_send(d) || array_send(n) AS a FROM ("
        + rows
        + ") r";
  }

  /** Raw rows in time order, from {@code samples} (its {@code WHERE} clause appended). */
  public static String raw(String where) {
    return select(
        "ts, gap, bn",
        "SELECT ts, gap, bn, h, m, c, gs, gf, d, n FROM samples WHERE " + where + " ORDER BY ts");
  }

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Decoding the smallint groups: {@link Scale#value} without its per-element lookups. */
  private static final double CORE_STEPS = Fields.CORE.scale().steps;

  private static final double[] GS_STEPS =
      Arrays.stream(Fields.GpuSmall.FIELDS).mapToDouble(f -> f.scale().steps).toArray();

  /**
   * Element count of the one-dimensional array at {@code p}: header {ndim, has-nulls flag, element
   * oid}, then {size, lower bound} per dimension. Stored arrays never hold nulls (absent values are
   * sentinels).
   */
  private static int length(byte[] a, int p, int elementOid) {
    int ndim = (int) INT.get(a, p);
    if (ndim == 0) {
      return 0;
    }
    if (ndim != 1 || (int) INT.get(a, p + 4) != 0) {
      throw new IllegalStateException("expected a one-dimensional array without nulls");
    }
    // The strides below assume the column types of the migrations; a changed type must fail, not
    // read garbage.
    if ((int) INT.get(a, p + 8) != elementOid) {
      throw new IllegalStateException(
          "array element type " + INT.get(a, p + 8) + ", expected " + elementOid);
    }
    return (int) INT.get(a, p + 12);
  }

  /** Where the elements of the array at {@code p} start; each is {length, bytes}. */
  private static int start(byte[] a, int p) {
    return p + ((int) INT.get(a, p) == 0 ? 12 : 20);
  }

  /** One group as stored in {@code samples_hourly}: [min…, avg…, max…, last…]. */
  public Float[] hourlyArray(int g) {
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

  /**
   * The most frequent bottleneck label, ties to the alphabetically first so re-aggregation is
   * stable.
   */
  /** How many raw samples were added. */
  public long samples() {
    return samples;
  }

  /** How many of them followed a gap. */
  public long gaps() {
    return gaps;
  }

  public String label() {
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

  /** Counts {@code w} samples of bottleneck label {@code l}. */
  void countLabel(String l, long w) {
    label(l, w);
  }

  private void label(String l, long w) {
    if (l != null) {
      labels.merge(l, (int) w, Integer::sum);
    }
  }

  /** Per-position accumulators of one group; positions grow with the widest row seen. */
  public static final class Stat {
    /** The value a point reports for position i, as its field's summary says. */
    // Comparisons rather than a switch, which goes through a lookup table: this runs for every
    // value of a point.
    public double summary(Field.Summary summary, int i) {
      if (summary == Field.Summary.AVG) {
        return avg(i);
      }
      return summary == Field.Summary.LAST ? last(i) : max(i);
    }

    int len;
    double[] min = new double[0];
    double[] max = new double[0];
    double[] sum = new double[0];
    double[] weight = new double[0];
    double[] last = new double[0];

    void add(int i, double v) {
      grow(i + 1);
      merge(i, v, v, v, v, 1);
    }

    /** A present (non-NaN) single value at a position {@link #grow} already covers. */
    void add1(int i, double v) {
      min[i] = Math.min(min[i], v);
      max[i] = Math.max(max[i], v);
      sum[i] += v;
      weight[i] += 1;
      last[i] = v;
    }

    /**
     * Folds in a pre-aggregated value at a position {@link #grow} already covers; NaN (absent) is
     * skipped.
     */
    void merge(int i, double mn, double avg, double mx, double ls, long w) {
      if (Double.isNaN(avg)) {
        return;
      }
      min[i] = Math.min(min[i], mn);
      max[i] = Math.max(max[i], mx);
      sum[i] += avg * w;
      weight[i] += w;
      last[i] = ls;
    }

    public double avg(int i) {
      return i < len && weight[i] > 0 ? sum[i] / weight[i] : Double.NaN;
    }

    double min(int i) {
      return i < len && weight[i] > 0 ? min[i] : Double.NaN;
    }

    public double max(int i) {
      return i < len && weight[i] > 0 ? max[i] : Double.NaN;
    }

    public double last(int i) {
      return i < len ? last[i] : Double.NaN;
    }

    /** Makes positions up to {@code n} exist (absent until a value arrives). */
    void grow(int n) {
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
      double[] b = Arrays.copyOf(a, cap);
      Arrays.fill(b, a.length, cap, fill);
      return b;
    }
  }
}
