package dev.trainwatch.history;

import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.bus.derived.NetworkFigures;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Maps a derived snapshot onto the {@code snapshots} row. Pure; the SQL lives next to the tuple it binds. */
final class SnapshotRows {
  private SnapshotRows() {}

  static final String INSERT = """
      INSERT INTO snapshots (server, ts, boot_id, seq, interval_s, gap, cpu_util, cpu_iowait, cpu_steal, cpu_per_core,
        load_avg, ram_used, ram_total, swap_used, swap_total, disk_read_rate, disk_write_rate, net_up_rate,
        net_down_rate, gpu_util_max, gpu_util_avg, gpu_mem_used, gpu_mem_total, bottleneck, detail)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
        $24, $25)
      ON CONFLICT ON CONSTRAINT snapshots_identity DO NOTHING
      RETURNING seq""";

  static Tuple tuple(DerivedSnapshot s) {
    CpuFigures c = s.cpu();
    MemoryFigures m = s.memory();
    DiskFigures d = s.disk();
    NetworkFigures n = s.network();
    GpuRollup g = s.gpuRollup();
    Object[] v = {
        s.server(), OffsetDateTime.ofInstant(s.ts(), ZoneOffset.UTC), s.bootId(), s.seq(), f(s.intervalS()), s.gap(),
        c == null ? null : f(c.utilization()), c == null ? null : f(c.iowait()), c == null ? null : f(c.steal()),
        c == null ? null : floats(c.perCore()), c == null ? null : floats(c.loadAvg()),
        m == null ? null : m.ramUsed(), m == null ? null : m.ramTotal(), m == null ? null : m.swapUsed(),
        m == null ? null : m.swapTotal(),
        d == null ? null : f(d.readRate()), d == null ? null : f(d.writeRate()),
        n == null ? null : f(n.uploadRate()), n == null ? null : f(n.downloadRate()),
        g == null ? null : f(g.utilMax()), g == null ? null : f(g.utilAvg()), g == null ? null : g.memoryUsed(),
        g == null ? null : g.memoryTotal(),
        s.bottleneck() == null ? null : s.bottleneck().label(), detail(s)};
    return Tuple.wrap(v);
  }

  /** Per-device sections, kept whole so history can answer per-GPU questions. */
  static JsonObject detail(DerivedSnapshot s) {
    JsonObject full = s.toJson();
    JsonObject d = new JsonObject();
    for (String k : List.of("gpus", "disk", "network", "bottleneck", "processes", "memory", "agent")) {
      Object v = full.getValue(k);
      if (v != null) {
        d.put(k, v);
      }
    }
    return d;
  }

  private static Float f(Double d) {
    return d == null ? null : d.floatValue();
  }

  private static Float[] floats(List<Double> l) {
    if (l == null) {
      return null;
    }
    Float[] a = new Float[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i).floatValue();
    }
    return a;
  }
}
