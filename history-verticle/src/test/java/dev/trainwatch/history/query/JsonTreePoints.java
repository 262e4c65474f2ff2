package dev.trainwatch.history.query;

import dev.trainwatch.bus.Json;
import dev.trainwatch.history.layout.Field;
import dev.trainwatch.history.layout.Fields;
import dev.trainwatch.history.layout.Layout;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * TEST REFERENCE: the JsonObject rendering that {@link Points} replaced, to check that the streamed
 * document is the same bytes. Renders one aggregated step as a history point: the derived
 * snapshot's shape (CONTRACT.md §4) with averages, except figures whose meaning is a capacity or a
 * running total (RAM/swap/GPU memory totals, power limit, ECC total), which take the step's last
 * value, and {@code gpu_util_max}, the step's maximum. Host figures also get their step minimum and
 * maximum under {@code min} and {@code max}.
 *
 * <p>Figures are named here, with the statistic and number format written out for each: only their
 * positions come from the field tables (by name), so a table whose summary, scale or key went wrong
 * renders differently from this.
 */
final class JsonTreePoints {
  private JsonTreePoints() {}

  /** Keys of {@code min} and {@code max}, in their order. */
  static final List<String> EXTREMES =
      List.of(
          "cpu.utilization",
          "cpu.iowait",
          "cpu.steal",
          "load1",
          "load5",
          "load15",
          "memory.swap_in_rate",
          "memory.swap_out_rate",
          "disk.read_rate",
          "disk.write_rate",
          "network.upload_rate",
          "network.download_rate",
          "gpu_util_max",
          "gpu_util_avg",
          "memory.ram_used",
          "memory.ram_total",
          "memory.ram_available",
          "memory.swap_used",
          "memory.swap_total",
          "gpu_memory_used",
          "gpu_memory_total");

  /** Byte counts: printed as integers. */
  static final List<String> WHOLE =
      List.of(
          "memory.ram_used",
          "memory.ram_total",
          "memory.ram_available",
          "memory.swap_used",
          "memory.swap_total",
          "gpu_memory_used",
          "gpu_memory_total");

  static final List<String> GPU_SMALL =
      List.of(
          "utilization",
          "memory_utilization",
          "temperature",
          "fan",
          "encoder",
          "decoder",
          "sm_clock",
          "mem_clock");
  static final List<String> DISK =
      List.of("read_rate", "write_rate", "read_iops", "write_iops", "utilization");
  static final List<String> NIC = List.of("upload_rate", "download_rate", "error_rate");

  static JsonObject point(Agg a, Points.Names names) {
    JsonObject p =
        new JsonObject()
            .put("ts", Json.ts(Instant.ofEpochSecond(a.start)))
            .put("samples", a.samples);
    put(p, "interval_s", avg(a, "interval_s"));
    p.put("gap", a.gaps > 0);
    JsonObject cpu = new JsonObject();
    put(cpu, "utilization", avg(a, "cpu.utilization"));
    Agg.Stat c = a.group(Layout.C);
    if (c.len > 0) {
      JsonArray cores = new JsonArray();
      for (int i = 0; i < c.len; i++) {
        cores.add(num(c.avg(i)));
      }
      cpu.put("per_core", cores);
    }
    put(cpu, "iowait", avg(a, "cpu.iowait"));
    put(cpu, "steal", avg(a, "cpu.steal"));
    if (!Double.isNaN(avg(a, "load1"))) {
      cpu.put(
          "load_avg",
          new JsonArray()
              .add(num(avg(a, "load1")))
              .add(num(avg(a, "load5")))
              .add(num(avg(a, "load15"))));
    }
    p.put("cpu", cpu);
    JsonObject mem = new JsonObject();
    putLong(mem, "ram_used", avg(a, "memory.ram_used"));
    putLong(mem, "ram_total", last(a, "memory.ram_total"));
    putLong(mem, "ram_available", avg(a, "memory.ram_available"));
    putLong(mem, "swap_used", avg(a, "memory.swap_used"));
    putLong(mem, "swap_total", last(a, "memory.swap_total"));
    put(mem, "swap_in_rate", avg(a, "memory.swap_in_rate"));
    put(mem, "swap_out_rate", avg(a, "memory.swap_out_rate"));
    p.put("memory", mem);
    JsonObject disk = new JsonObject();
    put(disk, "read_rate", avg(a, "disk.read_rate"));
    put(disk, "write_rate", avg(a, "disk.write_rate"));
    disk.put("disks", devices(a.group(Layout.D), Fields.Disk.FIELDS, DISK, names.disks()));
    p.put("disk", disk);
    JsonObject net = new JsonObject();
    put(net, "upload_rate", avg(a, "network.upload_rate"));
    put(net, "download_rate", avg(a, "network.download_rate"));
    net.put("interfaces", devices(a.group(Layout.N), Fields.Nic.FIELDS, NIC, names.nics()));
    p.put("network", net);
    p.put("gpus", gpus(a, names.gpus()));
    put(p, "gpu_util_max", max(a, "gpu_util_max"));
    put(p, "gpu_util_avg", avg(a, "gpu_util_avg"));
    putLong(p, "gpu_memory_used", avg(a, "gpu_memory_used"));
    putLong(p, "gpu_memory_total", last(a, "gpu_memory_total"));
    String label = a.label();
    if (label != null) {
      p.put("bottleneck", new JsonObject().put("label", label));
    }
    JsonObject min = new JsonObject();
    JsonObject max = new JsonObject();
    for (String k : EXTREMES) {
      Agg.Stat s = a.group(hostGroup(k));
      int i = hostPos(k);
      if (WHOLE.contains(k)) {
        putLong(min, k, s.min(i));
        putLong(max, k, s.max(i));
      } else {
        put(min, k, s.min(i));
        put(max, k, s.max(i));
      }
    }
    return p.put("min", min).put("max", max);
  }

  private static JsonArray gpus(Agg a, JsonArray named) {
    Agg.Stat s = a.group(Layout.GS);
    Agg.Stat f = a.group(Layout.GF);
    Field[] small = Fields.GpuSmall.FIELDS;
    Field[] floats = Fields.GpuFloat.FIELDS;
    JsonArray out = new JsonArray();
    int count = Math.max(s.len / small.length, f.len / floats.length);
    for (int g = 0; g < count; g++) {
      JsonObject o = new JsonObject();
      int base = g * small.length;
      double index = s.last(base + pos(small, "index"));
      o.put("index", Double.isNaN(index) ? g : (int) index);
      JsonObject name = g < named.size() ? named.getJsonObject(g) : null;
      if (name != null) {
        name.fieldNames().stream()
            .filter(k -> !k.equals("index"))
            .forEach(k -> o.put(k, name.getValue(k)));
      }
      for (String k : GPU_SMALL) {
        put(o, k, s.avg(base + pos(small, k)));
      }
      int b = g * floats.length;
      putLong(o, "memory_used", f.avg(b + pos(floats, "memory_used")));
      putLong(o, "memory_total", f.last(b + pos(floats, "memory_total")));
      put(o, "power", f.avg(b + pos(floats, "power")));
      put(o, "average_power", f.avg(b + pos(floats, "average_power")));
      put(o, "power_limit", f.last(b + pos(floats, "power_limit")));
      put(o, "pcie_rx_rate", f.avg(b + pos(floats, "pcie_rx_rate")));
      put(o, "pcie_tx_rate", f.avg(b + pos(floats, "pcie_tx_rate")));
      putLong(o, "ecc_uncorrected_total", f.last(b + pos(floats, "ecc_uncorrected_total")));
      out.add(o);
    }
    return out;
  }

  private static JsonArray devices(
      Agg.Stat s, Field[] fields, List<String> keys, List<String> names) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < s.len / fields.length; i++) {
      JsonObject o = new JsonObject().put("name", i < names.size() ? names.get(i) : "#" + i);
      for (String k : keys) {
        put(o, k, s.avg(i * fields.length + pos(fields, k)));
      }
      out.add(o);
    }
    return out;
  }

  private static double avg(Agg a, String name) {
    return a.group(hostGroup(name)).avg(hostPos(name));
  }

  private static double last(Agg a, String name) {
    return a.group(hostGroup(name)).last(hostPos(name));
  }

  private static double max(Agg a, String name) {
    return a.group(hostGroup(name)).max(hostPos(name));
  }

  /** {@link Layout#H} or {@link Layout#M}: where the table holding {@code name} is stored. */
  private static int hostGroup(String name) {
    return Arrays.stream(Fields.Memory.ALL).anyMatch(f -> f.field.name().equals(name))
        ? Layout.M
        : Layout.H;
  }

  private static int hostPos(String name) {
    Stream<Field> all =
        Stream.concat(
            Arrays.stream(Fields.Host.ALL).map(f -> f.field),
            Arrays.stream(Fields.Memory.ALL).map(f -> f.field));
    return pos(all.toArray(Field[]::new), name);
  }

  private static int pos(Field[] table, String name) {
    return Arrays.stream(table)
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stored field " + name))
        .pos();
  }

  /**
   * Storage keeps 24 bits of mantissa; printing 17 digits of a float widened to double would be
   * noise.
   */
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
