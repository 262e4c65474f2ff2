package dev.trainwatch.history;

import static dev.trainwatch.history.Layout.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * TEST REFERENCE: the JsonObject rendering that {@link Points} replaced, kept verbatim to check that the streamed
 * document is the same bytes. Renders one aggregated step as a history point: the derived snapshot's shape (CONTRACT.md §4) with averages, except
 * figures whose meaning is a capacity or a running total (RAM/swap/GPU memory totals, power limit, ECC total), which
 * take the step's last value, and {@code gpu_util_max}, the step's maximum. Host figures also get their step
 * minimum and maximum under {@code min} and {@code max}, keyed like the positions in {@link Layout}.
 */
final class JsonTreePoints {
  private JsonTreePoints() {}

  static JsonObject point(Agg a, Points.Names names) {
    Agg.Stat h = a.group(H);
    Agg.Stat m = a.group(M);
    JsonObject p = new JsonObject().put("ts", dev.trainwatch.bus.Json.ts(Instant.ofEpochSecond(a.start))).put("samples", a.samples);
    put(p, "interval_s", h.avg(0));
    p.put("gap", a.gaps > 0);
    JsonObject cpu = new JsonObject();
    put(cpu, "utilization", h.avg(1));
    Agg.Stat c = a.group(C);
    if (c.len > 0) {
      JsonArray cores = new JsonArray();
      for (int i = 0; i < c.len; i++) {
        cores.add(num(c.avg(i)));
      }
      cpu.put("per_core", cores);
    }
    put(cpu, "iowait", h.avg(2));
    put(cpu, "steal", h.avg(3));
    if (!Double.isNaN(h.avg(4))) {
      cpu.put("load_avg", new JsonArray().add(num(h.avg(4))).add(num(h.avg(5))).add(num(h.avg(6))));
    }
    p.put("cpu", cpu);
    JsonObject mem = new JsonObject();
    putLong(mem, "ram_used", m.avg(0));
    putLong(mem, "ram_total", m.last(1));
    putLong(mem, "ram_available", m.avg(2));
    putLong(mem, "swap_used", m.avg(3));
    putLong(mem, "swap_total", m.last(4));
    put(mem, "swap_in_rate", h.avg(7));
    put(mem, "swap_out_rate", h.avg(8));
    p.put("memory", mem);
    JsonObject disk = new JsonObject();
    put(disk, "read_rate", h.avg(9));
    put(disk, "write_rate", h.avg(10));
    disk.put("disks", devices(a.group(D), D_KEYS, names.disks()));
    p.put("disk", disk);
    JsonObject net = new JsonObject();
    put(net, "upload_rate", h.avg(11));
    put(net, "download_rate", h.avg(12));
    net.put("interfaces", devices(a.group(N), N_KEYS, names.nics()));
    p.put("network", net);
    p.put("gpus", gpus(a, names.gpus()));
    put(p, "gpu_util_max", h.max(13));
    put(p, "gpu_util_avg", h.avg(14));
    putLong(p, "gpu_memory_used", m.avg(5));
    putLong(p, "gpu_memory_total", m.last(6));
    String label = a.label();
    if (label != null) {
      p.put("bottleneck", new JsonObject().put("label", label));
    }
    JsonObject min = new JsonObject();
    JsonObject max = new JsonObject();
    for (int i = 1; i < H_KEYS.length; i++) {
      put(min, H_KEYS[i], h.min(i));
      put(max, H_KEYS[i], h.max(i));
    }
    for (int i = 0; i < M_KEYS.length; i++) {
      putLong(min, M_KEYS[i], m.min(i));
      putLong(max, M_KEYS[i], m.max(i));
    }
    return p.put("min", min).put("max", max);
  }

  private static JsonArray gpus(Agg a, JsonArray named) {
    Agg.Stat s = a.group(GS);
    Agg.Stat f = a.group(GF);
    JsonArray out = new JsonArray();
    int count = Math.max(s.len / GS_KEYS.length, f.len / GF_KEYS.length);
    for (int g = 0; g < count; g++) {
      JsonObject o = new JsonObject();
      int base = g * GS_KEYS.length;
      double index = s.last(base);
      o.put("index", Double.isNaN(index) ? g : (int) index);
      JsonObject name = g < named.size() ? named.getJsonObject(g) : null;
      if (name != null) {
        name.fieldNames().stream().filter(k -> !k.equals("index")).forEach(k -> o.put(k, name.getValue(k)));
      }
      for (int k = 1; k < GS_KEYS.length; k++) {
        put(o, GS_KEYS[k], s.avg(base + k));
      }
      base = g * GF_KEYS.length;
      putLong(o, "memory_used", f.avg(base));
      putLong(o, "memory_total", f.last(base + 1));
      put(o, "power", f.avg(base + 2));
      put(o, "average_power", f.avg(base + 3));
      put(o, "power_limit", f.last(base + 4));
      put(o, "pcie_rx_rate", f.avg(base + 5));
      put(o, "pcie_tx_rate", f.avg(base + 6));
      putLong(o, "ecc_uncorrected_total", f.last(base + 7));
      out.add(o);
    }
    return out;
  }

  private static JsonArray devices(Agg.Stat s, String[] keys, List<String> names) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < s.len / keys.length; i++) {
      JsonObject o = new JsonObject().put("name", i < names.size() ? names.get(i) : "#" + i);
      for (int k = 0; k < keys.length; k++) {
        put(o, keys[k], s.avg(i * keys.length + k));
      }
      out.add(o);
    }
    return out;
  }

  /** Storage keeps 24 bits of mantissa; printing 17 digits of a float widened to double would be noise. */
  static double num(double v) {
    if (Math.abs(v) >= 1e5) {
      return Math.rint(v);
    }
    return Math.rint(v * 1e4) / 1e4;
  }

  private static void put(JsonObject o, String k, double v) {
    if (!Double.isNaN(v)) {
      o.put(k, num(v));
    }
  }

  private static void putLong(JsonObject o, String k, double v) {
    if (!Double.isNaN(v)) {
      o.put(k, Math.round(v));
    }
  }
}
