package dev.trainwatch.history.write;

import dev.trainwatch.history.layout.Layout;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One statement per batch: the reactive client has no COPY, and per-row statements cost a round
 * trip of parsing each. Postgres cannot unnest an array of arrays into rows of arrays, so each
 * group travels as one flat array plus the offsets where each row's slice starts; rows are numbered
 * by {@code generate_series} and slice their own part. The same statement marks every hour it wrote
 * to as dirty for the downsampler, and skips a row whose (boot, seq) is stored already under any ts
 * (CONTRACT.md §1: idempotent on (slug, boot_id, seq); V4's index). That check probes every
 * partition, so it is made only for the rows the writer flags ($21): a CASE, so that it is never
 * turned into a join that would probe for all of them.
 */
public final class SampleRows {
  private SampleRows() {}

  static final String INSERT =
      """
      WITH ins AS (
        INSERT INTO samples (ts, seq, boot, sid, gap, bn, h, m, c, gs, gf, d, n)
        SELECT ($2::timestamptz[])[i], ($3::int8[])[i], ($4::int8[])[i], v.id, ($5::bool[])[i], ($6::text[])[i],
          ($7::real[])[($8::int[])[i] + 1 : ($8::int[])[i + 1]],
          ($9::int8[])[($10::int[])[i] + 1 : ($10::int[])[i + 1]],
          ($11::int2[])[($12::int[])[i] + 1 : ($12::int[])[i + 1]],
          ($13::int2[])[($14::int[])[i] + 1 : ($14::int[])[i + 1]],
          ($15::real[])[($16::int[])[i] + 1 : ($16::int[])[i + 1]],
          ($17::real[])[($18::int[])[i] + 1 : ($18::int[])[i + 1]],
          ($19::real[])[($20::int[])[i] + 1 : ($20::int[])[i + 1]]
        FROM generate_series(1, cardinality($2::timestamptz[])) i
        JOIN servers v ON v.slug = ($1::text[])[i]
        WHERE CASE WHEN ($21::bool[])[i]
          THEN NOT EXISTS (SELECT 1 FROM samples o WHERE o.boot = ($4::int8[])[i] AND o.seq = ($3::int8[])[i])
          ELSE true END
        ON CONFLICT DO NOTHING
        RETURNING sid, ts, boot, seq),
      dirty AS (
        INSERT INTO dirty_hours (sid, hour)
        SELECT DISTINCT sid, date_trunc('hour', ts, 'UTC') FROM ins
        ON CONFLICT (sid, hour) DO UPDATE SET v = dirty_hours.v + 1)
      SELECT boot, seq FROM ins""";

  /**
   * Serialises writers of the same boots (two history nodes may write one server): sent first in
   * the transaction, so the insert's snapshot, taken when that statement starts, sees what the
   * other writer committed. Sorted, so two writers cannot deadlock.
   */
  static final String LOCK_BOOTS =
      "SELECT count(pg_advisory_xact_lock(b)) "
          + "FROM (SELECT DISTINCT b FROM unnest($1::int8[]) b ORDER BY b) s";

  /**
   * The highest seq stored for each boot (null: none), from V4's index: one short backward scan per
   * partition.
   */
  static final String HIGHEST_SEQ =
      "SELECT b, (SELECT max(seq) FROM samples WHERE boot = b) FROM unnest($1::int8[]) b";

  public static final String ENSURE_PARTITIONS =
      "SELECT trainwatch_samples_partition(d) FROM unnest($1::date[]) d";

  /** A row ready to bind: the encoded arrays plus its identity. */
  record Row(
      String server,
      OffsetDateTime ts,
      long seq,
      long boot,
      boolean gap,
      String bottleneck,
      Layout.Encoded arrays) {}

  /** {@code probe[i]}: row i may repeat a stored (boot, seq), so the statement must look. */
  static Tuple tuple(List<Row> rows, Boolean[] probe) {
    int k = rows.size();
    String[] servers = new String[k];
    OffsetDateTime[] ts = new OffsetDateTime[k];
    Long[] seq = new Long[k];
    Long[] boot = new Long[k];
    Boolean[] gap = new Boolean[k];
    String[] bn = new String[k];
    int[] len = new int[Layout.GROUPS.length];
    for (int i = 0; i < k; i++) {
      Row r = rows.get(i);
      servers[i] = r.server();
      ts[i] = r.ts();
      seq[i] = r.seq();
      boot[i] = r.boot();
      gap[i] = r.gap();
      bn[i] = r.bottleneck();
      Layout.Encoded e = r.arrays();
      len[0] += e.h().length;
      len[1] += e.m().length;
      len[2] += e.c().length;
      len[3] += e.gs().length;
      len[4] += e.gf().length;
      len[5] += e.d().length;
      len[6] += e.n().length;
    }
    Float[] h = new Float[len[0]];
    Long[] m = new Long[len[1]];
    Short[] c = new Short[len[2]];
    Short[] gs = new Short[len[3]];
    Float[] gf = new Float[len[4]];
    Float[] d = new Float[len[5]];
    Float[] n = new Float[len[6]];
    Integer[][] off = new Integer[Layout.GROUPS.length][k + 1];
    int[] at = new int[Layout.GROUPS.length];
    for (int i = 0; i < k; i++) {
      Layout.Encoded e = rows.get(i).arrays();
      for (int g = 0; g < at.length; g++) {
        off[g][i] = at[g];
      }
      for (float v : e.h()) h[at[0]++] = v;
      for (long v : e.m()) m[at[1]++] = v;
      for (short v : e.c()) c[at[2]++] = v;
      for (short v : e.gs()) gs[at[3]++] = v;
      for (float v : e.gf()) gf[at[4]++] = v;
      for (float v : e.d()) d[at[5]++] = v;
      for (float v : e.n()) n[at[6]++] = v;
    }
    for (int g = 0; g < at.length; g++) {
      off[g][k] = at[g];
    }
    return Tuple.tuple()
        .addArrayOfString(servers)
        .addArrayOfOffsetDateTime(ts)
        .addArrayOfLong(seq)
        .addArrayOfLong(boot)
        .addArrayOfBoolean(gap)
        .addArrayOfString(bn)
        .addArrayOfFloat(h)
        .addArrayOfInteger(off[0])
        .addArrayOfLong(m)
        .addArrayOfInteger(off[1])
        .addArrayOfShort(c)
        .addArrayOfInteger(off[2])
        .addArrayOfShort(gs)
        .addArrayOfInteger(off[3])
        .addArrayOfFloat(gf)
        .addArrayOfInteger(off[4])
        .addArrayOfFloat(d)
        .addArrayOfInteger(off[5])
        .addArrayOfFloat(n)
        .addArrayOfInteger(off[6])
        .addArrayOfBoolean(probe);
  }

  public static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
