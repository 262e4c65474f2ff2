package dev.trainwatch.history.layout;

/**
 * How one figure is held in its array, and what a history point prints for it. The array's element
 * type belongs to the group (V2 migration); a field's scale must be one of that type's ({@link
 * #oid}), which {@code FieldsTest} checks.
 *
 * <p>Percentages are ×100 in smallint (0.01 % resolution, ±327.67) because they are most of a GPU's
 * figures and 2 bytes halve them; clocks are whole MHz for the same reason. Everything else is
 * real: a 24-bit mantissa is exact for MiB-aligned byte counts up to 16 TiB and 6e-8 relative
 * otherwise, finer than any sensor reports.
 */
public enum Scale {
  /** real; printed to four decimals. */
  REAL(Pg.FLOAT4, 1),
  /** real holding a whole count (bytes, errors); printed as an integer. */
  REAL_WHOLE(Pg.FLOAT4, 1),
  /** bigint bytes, exact; printed as an integer. */
  BYTES(Pg.INT8, 1),
  /** smallint ×100. */
  PERCENT(Pg.INT2, 100),
  /**
   * smallint whole MHz; no clock reaches 32.7 GHz, so an agent's nonsense is clamped rather than
   * wrapped.
   */
  MHZ(Pg.INT2, 1),
  /** smallint as reported: the GPU's index. */
  ID(Pg.INT2, 1);

  public static final short NO_SHORT = Short.MIN_VALUE;
  public static final long NO_LONG = -1L;

  /** Postgres type oid of the array elements this scale fills (pg_type). */
  final int oid;

  /** Stored steps per unit of the figure. */
  public final double steps;

  Scale(int oid, double steps) {
    this.oid = oid;
    this.steps = steps;
  }

  /** Printed as an integer rather than a rounded decimal. */
  boolean whole() {
    return this == REAL_WHOLE || this == BYTES;
  }

  /** For a real element; NaN when absent. */
  static float real(Number v) {
    return v == null ? Float.NaN : v.floatValue();
  }

  /** For a bigint element; -1 (no byte count is negative) when absent. */
  static long bytes(Number v) {
    return v == null ? NO_LONG : v.longValue();
  }

  /** For a smallint element; {@link #NO_SHORT} when absent. */
  short small(Number v) {
    if (v == null) {
      return NO_SHORT;
    }
    if (this == ID) {
      return (short) v.intValue();
    }
    return this == MHZ ? clamp(v.doubleValue(), 0) : clamp(v.doubleValue() * 100, -32767);
  }

  /** The figure a smallint element holds; NaN when absent. */
  public double value(short v) {
    return v == NO_SHORT ? Double.NaN : v / steps;
  }

  private static short clamp(double v, int lowest) {
    if (Double.isNaN(v)) {
      return NO_SHORT;
    }
    return (short) Math.max(lowest, Math.min(32767, Math.round(v)));
  }

  /** Element type oids of the stored arrays. */
  public static final class Pg {
    private Pg() {}

    public static final int INT2 = 21, INT8 = 20, FLOAT4 = 700;
  }
}
