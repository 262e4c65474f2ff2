package dev.trainwatch.history.query;

import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.history.write.DeviceRows;
import dev.trainwatch.history.write.SampleRows;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collector;

/**
 * Range queries. Up to {@link #RAW_MAX} the raw samples are read in time order and folded into
 * buckets of {@code step_s} as they stream in (no row set is materialised); beyond it the hourly
 * rows are merged into steps of whole hours, and the hours the downsampler has not reached yet (the
 * open hour, the one just closed) come from raw. At most ~{@link #MAX_POINTS} points unless the
 * caller asks for a finer step.
 */
public final class HistoryQueries {
  static final int MAX_POINTS = 1000;
  static final Duration RAW_MAX = Duration.ofHours(24);

  /**
   * How far back the hourly answer may complete itself from raw; bounded so a lagging downsampler
   * stays cheap.
   */
  private static final Duration RAW_TAIL_MAX = Duration.ofHours(3);

  private static final int[] NICE_STEPS = {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400
  };

  private static final String SERVER = "(SELECT id FROM servers WHERE slug = $1)";
  public static final String RAW = Agg.raw("sid = " + SERVER + " AND ts >= $2 AND ts < $3");
  public static final String HOURLY =
      Agg.select(
          "hour, samples, gaps, bn",
          "SELECT hour, samples, gaps, bn, h, m, c, gs, gf,"
              + " d, n FROM samples_hourly WHERE sid = "
              + SERVER
              + " AND hour >= $2 AND hour < $3 ORDER BY hour");

  private final Pool pool;
  private final int parallelism;

  public HistoryQueries(Pool pool, int parallelism) {
    this.pool = pool;
    this.parallelism = Math.max(1, parallelism);
  }

  /** The smallest "nice" step that keeps the range within {@link #MAX_POINTS} buckets. */
  public static int stepFor(Duration range) {
    long seconds = Math.max(1, range.toSeconds());
    for (int s : NICE_STEPS) {
      if (seconds / s <= MAX_POINTS) {
        return s;
      }
    }
    return NICE_STEPS[NICE_STEPS.length - 1];
  }

  static boolean useRaw(HistoryQuery q) {
    return Duration.between(q.from(), q.to()).compareTo(RAW_MAX) <= 0;
  }

  static int step(HistoryQuery q) {
    Duration range = Duration.between(q.from(), q.to());
    int step = q.stepS() != null ? Math.max(q.stepS(), stepFor(range) / 10) : stepFor(range);
    if (!useRaw(q)) {
      step = Math.max(3600, (step + 3599) / 3600 * 3600);
    }
    return step;
  }

  /** The encoded history document; see {@link Points#document}. */
  public Future<Buffer> query(HistoryQuery q, Instant now) {
    int step = step(q);
    boolean raw = useRaw(q);
    Future<Points.Names> names =
        pool.preparedQuery(DeviceRows.READ)
            .execute(Tuple.of(q.server()))
            .map(rs -> rs.size() == 0 ? Points.Names.NONE : names(rs.iterator().next()));
    Future<List<Agg>> aggs;
    if (raw) {
      aggs = collectSplit(RAW, q.server(), q.from(), q.to(), step, true);
    } else {
      Instant from = q.from().minusSeconds(Math.floorMod(q.from().getEpochSecond(), 3600));
      aggs =
          collectSplit(HOURLY, q.server(), from, q.to(), step, false)
              .compose(
                  hourly -> {
                    Instant done =
                        hourly.isEmpty() ? from : hourly.get(hourly.size() - 1).lastHourEnd;
                    Instant tail = max(done, max(from, now.minus(RAW_TAIL_MAX)));
                    if (!tail.isBefore(q.to())) {
                      return Future.succeededFuture(hourly);
                    }
                    return collect(
                        RAW, q.server(), tail, q.to(), new Buckets(step, true).after(hourly));
                  });
    }
    return Future.all(names, aggs)
        .map(
            v ->
                Points.document(
                    q.server(),
                    step,
                    raw ? "raw" : "hourly",
                    q.from(),
                    q.to(),
                    aggs.result(),
                    names.result()));
  }

  /**
   * Reads {@code [from, to)} as up to {@link #parallelism} consecutive parts on as many pooled
   * connections at once, cut at multiples of {@code step} so no bucket spans two parts; the parts'
   * buckets, in order, are the buckets of the whole range. Most of a query's database time is
   * Postgres writing ~200 array elements per row in binary form, one backend per connection, so
   * parts use the cores Postgres has.
   */
  private Future<List<Agg>> collectSplit(
      String sql, String server, Instant from, Instant to, int step, boolean raw) {
    long a = from.getEpochSecond();
    long span = to.getEpochSecond() - a;
    List<Instant> cuts = new ArrayList<>();
    cuts.add(from);
    for (int k = 1; k < parallelism; k++) {
      long cut = Math.floorDiv(a + span * k / parallelism, step) * step;
      Instant c = Instant.ofEpochSecond(cut);
      if (c.isAfter(cuts.get(cuts.size() - 1)) && c.isBefore(to)) {
        cuts.add(c);
      }
    }
    cuts.add(to);
    List<Future<List<Agg>>> parts = new ArrayList<>();
    for (int k = 0; k + 1 < cuts.size(); k++) {
      parts.add(collect(sql, server, cuts.get(k), cuts.get(k + 1), new Buckets(step, raw)));
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return Future.all(parts)
        .map(
            v -> {
              List<Agg> all = new ArrayList<>();
              for (Future<List<Agg>> f : parts) {
                all.addAll(f.result());
              }
              return all;
            });
  }

  private Future<List<Agg>> collect(
      String sql, String server, Instant from, Instant to, Buckets b) {
    Collector<Row, Buckets, List<Agg>> c =
        Collector.of(() -> b, Buckets::add, (x, y) -> x, Buckets::done);
    return pool.preparedQuery(sql)
        .collecting(c)
        .execute(Tuple.of(server, SampleRows.utc(from), SampleRows.utc(to)))
        .map(r -> r.value());
  }

  private static Points.Names names(Row r) {
    return new Points.Names(
        (JsonArray) r.getValue("gpus"),
        Arrays.asList(r.getArrayOfStrings("disks")),
        Arrays.asList(r.getArrayOfStrings("nics")));
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Folds time-ordered rows into consecutive steps. */
  private static final class Buckets {
    private final int step;
    private final boolean raw;
    private final List<Agg> out = new ArrayList<>();
    private Agg current;

    Buckets(int step, boolean raw) {
      this.step = step;
      this.raw = raw;
    }

    /** Continue after hourly buckets so a step that straddles hourly and raw rows is one point. */
    Buckets after(List<Agg> hourly) {
      out.addAll(hourly);
      if (!out.isEmpty()) {
        current = out.remove(out.size() - 1);
      }
      return this;
    }

    void add(Row r) {
      OffsetDateTime t = r.getOffsetDateTime(0);
      long s = t.toEpochSecond();
      long start = Math.floorDiv(s, step) * step;
      if (current == null || current.start != start) {
        if (current != null) {
          out.add(current);
        }
        current = new Agg(start);
      }
      if (raw) {
        current.addRaw(r);
      } else {
        current.addHourly(r);
        current.lastHourEnd = t.toInstant().plusSeconds(3600);
      }
    }

    List<Agg> done() {
      if (current != null) {
        out.add(current);
        current = null;
      }
      return out;
    }
  }
}
