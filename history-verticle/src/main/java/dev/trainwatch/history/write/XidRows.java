package dev.trainwatch.history.write;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.raw.XidEvent;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * XID events kept as reported (issue 14): a live card shows an XID for one sample, history keeps
 * it. Rare (a healthy fleet sends none), so they cost the write path nothing until they happen.
 */
public final class XidRows {
  private XidRows() {}

  /** A replayed snapshot carries the same events again: the key makes the second insert a no-op. */
  static final String INSERT =
      """
      INSERT INTO xid_events (server, gpu_index, gpu_uuid, xid, ts, boot, seq)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT DO NOTHING""";

  /** One row per event of the snapshot, or an empty list (the usual case). */
  static List<Tuple> of(DerivedSnapshot s, long boot) {
    List<Tuple> rows = List.of();
    for (GpuFigures g : s.gpus()) {
      if (g.xidEvents() == null || g.xidEvents().isEmpty()) {
        continue;
      }
      if (rows.isEmpty()) {
        rows = new ArrayList<>();
      }
      for (XidEvent e : g.xidEvents()) {
        rows.add(
            Tuple.of(
                s.server(), g.index(), g.uuid(), e.xid(), SampleRows.utc(e.ts()), boot, s.seq()));
      }
    }
    return rows;
  }
}
