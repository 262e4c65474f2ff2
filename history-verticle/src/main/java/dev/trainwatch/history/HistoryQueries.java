package dev.trainwatch.history;

import dev.trainwatch.bus.HistoryQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Range queries: stored snapshots averaged into buckets of {@code step_s} (gauges averaged, totals such as RAM size
 * taken as the max), at most ~{@link #MAX_POINTS} points unless the caller asks for a finer step.
 */
final class HistoryQueries {
  static final int MAX_POINTS = 1000;
  private static final int[] NICE_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400};

  private static final String RAW_BUCKETS = """
      SELECT to_timestamp(floor(extract(epoch FROM ts) / $4) * $4) AS bucket, count(*) AS samples,
        avg(cpu_util) AS cpu_util, avg(cpu_iowait) AS cpu_iowait, avg(cpu_steal) AS cpu_steal,
        avg(ram_used)::bigint AS ram_used, max(ram_total) AS ram_total,
        avg(swap_used)::bigint AS swap_used, max(swap_total) AS swap_total,
        avg(disk_read_rate) AS disk_read_rate, avg(disk_write_rate) AS disk_write_rate,
        avg(net_up_rate) AS net_up_rate, avg(net_down_rate) AS net_down_rate,
        max(gpu_util_max) AS gpu_util_max, avg(gpu_util_avg) AS gpu_util_avg,
        avg(gpu_mem_used)::bigint AS gpu_mem_used, max(gpu_mem_total) AS gpu_mem_total,
        mode() WITHIN GROUP (ORDER BY bottleneck) AS bottleneck
      FROM snapshots WHERE server = $1 AND ts >= $2 AND ts < $3
      GROUP BY 1 ORDER BY 1""";

  private final Pool pool;

  HistoryQueries(Pool pool) {
    this.pool = pool;
  }

  /** The smallest "nice" step that keeps the range within {@link #MAX_POINTS} buckets. */
  static int stepFor(Duration range) {
    long seconds = Math.max(1, range.toSeconds());
    for (int s : NICE_STEPS) {
      if (seconds / s <= MAX_POINTS) {
        return s;
      }
    }
    return NICE_STEPS[NICE_STEPS.length - 1];
  }

  Future<JsonObject> query(HistoryQuery q) {
    int step = q.stepS() != null ? Math.max(q.stepS(), stepFor(Duration.between(q.from(), q.to())) / 10)
        : stepFor(Duration.between(q.from(), q.to()));
    Tuple args = Tuple.of(q.server(), OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC),
        OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC), step);
    return pool.preparedQuery(RAW_BUCKETS).execute(args).map(rows -> {
      JsonArray points = new JsonArray();
      for (Row r : rows) {
        points.add(point(r));
      }
      return new JsonObject().put("server", q.server()).put("step_s", step).put("resolution", "raw")
          .put("from", q.from().toString()).put("to", q.to().toString()).put("points", points);
    });
  }

  private static JsonObject point(Row r) {
    JsonObject p = new JsonObject().put("ts", r.getOffsetDateTime("bucket").toInstant().toString())
        .put("samples", r.getLong("samples"));
    p.put("cpu", nonNull(new JsonObject().put("utilization", r.getDouble("cpu_util"))
        .put("iowait", r.getDouble("cpu_iowait")).put("steal", r.getDouble("cpu_steal"))));
    p.put("memory", nonNull(new JsonObject().put("ram_used", r.getLong("ram_used"))
        .put("ram_total", r.getLong("ram_total")).put("swap_used", r.getLong("swap_used"))
        .put("swap_total", r.getLong("swap_total"))));
    p.put("disk", nonNull(new JsonObject().put("read_rate", r.getDouble("disk_read_rate"))
        .put("write_rate", r.getDouble("disk_write_rate"))));
    p.put("network", nonNull(new JsonObject().put("upload_rate", r.getDouble("net_up_rate"))
        .put("download_rate", r.getDouble("net_down_rate"))));
    putIf(p, "gpu_util_max", r.getDouble("gpu_util_max"));
    putIf(p, "gpu_util_avg", r.getDouble("gpu_util_avg"));
    putIf(p, "gpu_memory_used", r.getLong("gpu_mem_used"));
    putIf(p, "gpu_memory_total", r.getLong("gpu_mem_total"));
    String b = r.getString("bottleneck");
    if (b != null) {
      p.put("bottleneck", new JsonObject().put("label", b));
    }
    return p;
  }

  private static JsonObject nonNull(JsonObject o) {
    o.getMap().values().removeIf(v -> v == null);
    return o;
  }

  private static void putIf(JsonObject o, String k, Object v) {
    if (v != null) {
      o.put(k, v);
    }
  }
}
