package dev.trainwatch.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet's latest values in the Prometheus text format (0.0.4), rendered from the
 * latest-snapshot cache: a scrape never reaches a collector, NVML or Postgres. Names follow
 * Prometheus conventions (base units: bytes, seconds, watts, hertz, celsius, ratios as _percent
 * where the contract speaks percent); docs/metrics.md lists them.
 */
final class FleetExposition {
  private FleetExposition() {}

  private record Metric(String name, String type, String help) {}

  private static final class Family {
    final Metric m;
    final List<String> samples = new ArrayList<>();

    Family(Metric m) {
      this.m = m;
    }
  }

  private static final Map<String, Metric> METRICS = new LinkedHashMap<>();

  private static Metric def(String name, String help) {
    Metric m = new Metric(name, "gauge", help);
    METRICS.put(name, m);
    return m;
  }

  static final Metric SNAPSHOT_TS =
      def("trainwatch_snapshot_timestamp_seconds", "Time of the server's latest derived snapshot.");
  static final Metric CPU =
      def("trainwatch_cpu_utilization_percent", "CPU busy time over the last interval, all cores.");
  static final Metric IOWAIT =
      def("trainwatch_cpu_iowait_percent", "CPU time waiting for I/O over the last interval.");
  static final Metric LOAD1 = def("trainwatch_load1", "One-minute load average.");
  static final Metric RAM_USED =
      def("trainwatch_memory_used_bytes", "RAM in use (total minus available).");
  static final Metric RAM_TOTAL = def("trainwatch_memory_total_bytes", "Installed RAM.");
  static final Metric SWAP_USED = def("trainwatch_swap_used_bytes", "Swap in use.");
  static final Metric SWAP_TOTAL = def("trainwatch_swap_total_bytes", "Swap size.");
  static final Metric DISK_READ =
      def("trainwatch_disk_read_bytes_per_second", "Disk read throughput.");
  static final Metric DISK_WRITE =
      def("trainwatch_disk_write_bytes_per_second", "Disk write throughput.");
  static final Metric DISK_UTIL =
      def("trainwatch_disk_utilization_percent", "Share of the interval the disk was busy.");
  static final Metric NET_RX =
      def("trainwatch_network_receive_bytes_per_second", "Bytes received per second.");
  static final Metric NET_TX =
      def("trainwatch_network_transmit_bytes_per_second", "Bytes transmitted per second.");
  static final Metric GPU_UTIL =
      def("trainwatch_gpu_utilization_percent", "GPU compute utilization.");
  static final Metric GPU_MEM_UTIL =
      def("trainwatch_gpu_memory_utilization_percent", "GPU memory-controller utilization.");
  static final Metric GPU_MEM_USED = def("trainwatch_gpu_memory_used_bytes", "GPU memory in use.");
  static final Metric GPU_MEM_TOTAL = def("trainwatch_gpu_memory_total_bytes", "GPU memory size.");
  static final Metric GPU_TEMP = def("trainwatch_gpu_temperature_celsius", "GPU core temperature.");
  static final Metric GPU_POWER = def("trainwatch_gpu_power_watts", "GPU power draw.");
  static final Metric GPU_POWER_LIMIT =
      def("trainwatch_gpu_power_limit_watts", "GPU enforced power limit.");
  static final Metric GPU_SM_CLOCK = def("trainwatch_gpu_sm_clock_hertz", "GPU SM clock.");
  static final Metric GPU_MEM_CLOCK = def("trainwatch_gpu_memory_clock_hertz", "GPU memory clock.");
  static final Metric GPU_THROTTLED =
      def("trainwatch_gpu_clock_event_active", "1 for each active clock-event (throttle) reason.");
  static final Metric BOTTLENECK =
      def("trainwatch_bottleneck_info", "1 for the server's current bottleneck label.");

  static String render(Map<String, JsonObject> latest) {
    Map<String, Family> families = new LinkedHashMap<>();
    METRICS.values().forEach(m -> families.put(m.name, new Family(m)));
    for (JsonObject d : new TreeMap<>(latest).values()) {
      server(families, d);
    }
    StringBuilder out = new StringBuilder(4096);
    for (Family f : families.values()) {
      if (f.samples.isEmpty()) {
        continue;
      }
      out.append("# HELP ").append(f.m.name).append(' ').append(f.m.help).append('\n');
      out.append("# TYPE ").append(f.m.name).append(' ').append(f.m.type).append('\n');
      f.samples.forEach(s -> out.append(s).append('\n'));
    }
    return out.toString();
  }

  private static void server(Map<String, Family> f, JsonObject d) {
    String s = d.getString("server");
    String base = "server=\"" + esc(s) + "\"";
    put(f, SNAPSHOT_TS, base, Instant.parse(d.getString("ts")).toEpochMilli() / 1000.0);
    JsonObject cpu = d.getJsonObject("cpu");
    if (cpu != null) {
      put(f, CPU, base, cpu.getDouble("utilization"));
      put(f, IOWAIT, base, cpu.getDouble("iowait"));
      JsonArray load = cpu.getJsonArray("load_avg");
      put(f, LOAD1, base, load == null || load.isEmpty() ? null : load.getDouble(0));
    }
    JsonObject mem = d.getJsonObject("memory");
    if (mem != null) {
      put(f, RAM_USED, base, num(mem.getValue("ram_used")));
      put(f, RAM_TOTAL, base, num(mem.getValue("ram_total")));
      put(f, SWAP_USED, base, num(mem.getValue("swap_used")));
      put(f, SWAP_TOTAL, base, num(mem.getValue("swap_total")));
    }
    JsonObject disk = d.getJsonObject("disk");
    if (disk != null) {
      for (Object o : disk.getJsonArray("disks", new JsonArray())) {
        JsonObject x = (JsonObject) o;
        String l = base + ",disk=\"" + esc(x.getString("name")) + "\"";
        put(f, DISK_READ, l, x.getDouble("read_rate"));
        put(f, DISK_WRITE, l, x.getDouble("write_rate"));
        put(f, DISK_UTIL, l, x.getDouble("utilization"));
      }
    }
    JsonObject net = d.getJsonObject("network");
    if (net != null) {
      for (Object o : net.getJsonArray("interfaces", new JsonArray())) {
        JsonObject x = (JsonObject) o;
        String l = base + ",interface=\"" + esc(x.getString("name")) + "\"";
        put(f, NET_RX, l, x.getDouble("download_rate"));
        put(f, NET_TX, l, x.getDouble("upload_rate"));
      }
    }
    for (Object o : d.getJsonArray("gpus", new JsonArray())) {
      JsonObject g = (JsonObject) o;
      String l =
          base
              + ",gpu=\""
              + g.getInteger("index")
              + "\",uuid=\""
              + esc(g.getString("uuid", ""))
              + "\"";
      put(f, GPU_UTIL, l, g.getDouble("utilization"));
      put(f, GPU_MEM_UTIL, l, g.getDouble("memory_utilization"));
      put(f, GPU_MEM_USED, l, num(g.getValue("memory_used")));
      put(f, GPU_MEM_TOTAL, l, num(g.getValue("memory_total")));
      put(f, GPU_TEMP, l, g.getDouble("temperature"));
      put(f, GPU_POWER, l, g.getDouble("power"));
      put(f, GPU_POWER_LIMIT, l, g.getDouble("power_limit"));
      put(
          f,
          GPU_SM_CLOCK,
          l,
          g.getDouble("sm_clock") == null ? null : g.getDouble("sm_clock") * 1e6);
      put(
          f,
          GPU_MEM_CLOCK,
          l,
          g.getDouble("mem_clock") == null ? null : g.getDouble("mem_clock") * 1e6);
      for (Object r : g.getJsonArray("clock_event_reasons", new JsonArray())) {
        put(f, GPU_THROTTLED, l + ",reason=\"" + esc(String.valueOf(r)) + "\"", 1.0);
      }
    }
    JsonObject b = d.getJsonObject("bottleneck");
    if (b != null && b.getString("label") != null) {
      put(f, BOTTLENECK, base + ",label=\"" + esc(b.getString("label")) + "\"", 1.0);
    }
  }

  /** Absent stays absent: no sample line rather than a 0. */
  private static void put(Map<String, Family> f, Metric m, String labels, Double v) {
    if (v != null && Double.isFinite(v)) {
      f.get(m.name).samples.add(m.name + "{" + labels + "} " + fmt(v));
    }
  }

  private static Double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
