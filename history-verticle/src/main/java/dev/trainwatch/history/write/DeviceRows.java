package dev.trainwatch.history.write;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.NicRates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * The {@code server_devices} row: names that would cost tens of bytes in every sample row, written
 * only when a server's set of GPUs, disks or NICs changes. History puts them back by position.
 */
public final class DeviceRows {
  private DeviceRows() {}

  static final String UPSERT =
      """
      INSERT INTO server_devices (sid, gpus, disks, nics)
      SELECT id, $2, $3, $4 FROM servers WHERE slug = $1
      ON CONFLICT (sid) DO UPDATE SET gpus = EXCLUDED.gpus, disks = EXCLUDED.disks, nics = EXCLUDED.nics,
        updated_at = now()""";

  public static final String READ =
      """
      SELECT d.gpus, d.disks, d.nics FROM server_devices d JOIN servers s ON s.id = d.sid WHERE s.slug = $1""";

  /** What identifies an inventory; compared to skip the upsert when nothing changed. */
  record Inventory(JsonArray gpus, List<String> disks, List<String> nics) {
    Tuple tuple(String server) {
      return Tuple.of(server, gpus, disks.toArray(String[]::new), nics.toArray(String[]::new));
    }
  }

  static Inventory of(DerivedSnapshot s) {
    JsonArray gpus = new JsonArray();
    for (GpuFigures g : s.gpus() == null ? List.<GpuFigures>of() : s.gpus()) {
      JsonObject o = new JsonObject().put("index", g.index());
      if (g.uuid() != null) {
        o.put("uuid", g.uuid());
      }
      if (g.name() != null) {
        o.put("name", g.name());
      }
      gpus.add(o);
    }
    List<String> disks =
        s.disk() == null ? List.of() : s.disk().disks().stream().map(DiskRates::name).toList();
    List<String> nics =
        s.network() == null
            ? List.of()
            : s.network().interfaces().stream().map(NicRates::name).toList();
    return new Inventory(gpus, disks, nics);
  }
}
