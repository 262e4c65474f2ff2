package dev.trainwatch.history;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.derived.Bottleneck;
import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.bus.derived.NetworkFigures;
import dev.trainwatch.bus.derived.NicRates;
import dev.trainwatch.history.layout.Field;
import dev.trainwatch.history.layout.Fields;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every stored figure, written with a value of its own, comes back from a history query where the
 * derived snapshot had it, raw and hourly: the tables' positions, scales and keys against values
 * chosen here by name. Values are exact in their scale (two decimals for a percentage, whole MHz,
 * MiB-aligned bytes, reals of few binary digits), so any swap, wrong scale or wrong key shows as a
 * different number.
 */
@ExtendWith(VertxExtension.class)
class FieldRoundTripTest extends WithEmbeddedPg {
  static final Instant T = Instant.parse("2026-11-12T10:00:00Z");
  static final long MIB = 1L << 20;

  /** Host figures by name; each value used once. */
  static final Map<String, Double> HOST =
      Map.ofEntries(
          entry("interval_s", 1.25),
          entry("cpu.utilization", 37.5),
          entry("cpu.iowait", 2.75),
          entry("cpu.steal", 0.625),
          entry("load1", 3.5),
          entry("load5", 2.25),
          entry("load15", 1.125),
          entry("memory.swap_in_rate", 4096.5),
          entry("memory.swap_out_rate", 8192.25),
          entry("disk.read_rate", 1.5e8),
          entry("disk.write_rate", 2.5e7),
          entry("network.upload_rate", 3.75e6),
          entry("network.download_rate", 6.5e8),
          entry("gpu_util_max", 97.5),
          entry("gpu_util_avg", 61.25));

  static final Map<String, Long> MEMORY =
      Map.ofEntries(
          entry("memory.ram_used", 40_963 * MIB),
          entry("memory.ram_total", 1_048_576 * MIB),
          entry("memory.ram_available", 900_001 * MIB),
          entry("memory.swap_used", 17 * MIB),
          entry("memory.swap_total", 8_192 * MIB),
          entry("gpu_memory_used", 301_057 * MIB),
          entry("gpu_memory_total", 655_360 * MIB));
  static final List<Double> CORES = List.of(12.34, 56.78, 0.01);

  /**
   * The first device's figures; the second device's are half these (still exact in their scales,
   * and within the contract's ranges), except the GPU index, which doubles.
   */
  static final Map<String, Number> GPU =
      Map.ofEntries(
          entry("index", 3),
          entry("utilization", 88.5),
          entry("memory_utilization", 44.5),
          entry("temperature", 61.5),
          entry("fan", 33.0),
          entry("encoder", 5.5),
          entry("decoder", 6.5),
          entry("sm_clock", 1980),
          entry("mem_clock", 2618),
          entry("memory_used", 20_481 * MIB),
          entry("memory_total", 81_920 * MIB),
          entry("power", 301.5),
          entry("average_power", 288.25),
          entry("power_limit", 700.0),
          entry("pcie_rx_rate", 1.25e9),
          entry("pcie_tx_rate", 2.5e9),
          entry("ecc_uncorrected_total", 8L));

  static final Map<String, Number> DISK =
      Map.of(
          "read_rate",
          1.0e6,
          "write_rate",
          2.5e6,
          "read_iops",
          150.5,
          "write_iops",
          275.25,
          "utilization",
          42.125);
  static final Map<String, Number> NIC =
      Map.of("upload_rate", 1.75e7, "download_rate", 3.5e8, "error_rate", 0.5);

  HistoryVerticle verticle;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    verticle = new HistoryVerticle();
    JsonObject cfg = historyConfig().put("maintenance_ms", 3_600_000L);
    vertx
        .deployVerticle(verticle, new DeploymentOptions().setConfig(cfg))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Without this the tables could grow a field that nothing here checks. */
  @Test
  void everyStoredFieldHasAValueHere() {
    assertThat(HOST.keySet()).isEqualTo(names(Stream.of(Fields.Host.ALL).map(f -> f.field)));
    assertThat(MEMORY.keySet()).isEqualTo(names(Stream.of(Fields.Memory.ALL).map(f -> f.field)));
    assertThat(GPU.keySet())
        .isEqualTo(
            names(
                Stream.concat(
                    Stream.of(Fields.GpuSmall.FIELDS), Stream.of(Fields.GpuFloat.FIELDS))));
    assertThat(DISK.keySet()).isEqualTo(names(Stream.of(Fields.Disk.FIELDS)));
    assertThat(NIC.keySet()).isEqualTo(names(Stream.of(Fields.Nic.FIELDS)));
    // Distinct values within each group's array, so that two positions swapped cannot go unnoticed.
    assertThat(new HashSet<>(HOST.values())).hasSameSizeAs(HOST.values());
    assertThat(new HashSet<>(MEMORY.values())).hasSameSizeAs(MEMORY.values());
    assertThat(GPU.values().stream().map(Number::doubleValue).distinct())
        .hasSameSizeAs(GPU.values());
    assertThat(new HashSet<>(DISK.values())).hasSameSizeAs(DISK.values());
    assertThat(new HashSet<>(NIC.values())).hasSameSizeAs(NIC.values());
  }

  @Test
  void everyFieldComesBackRawAndHourly(Vertx vertx, VertxTestContext ctx) {
    String server = "rt";
    vertx
        .eventBus()
        .request(Addresses.HISTORY_STORE, snapshot(server).toJson())
        .compose(v -> query(vertx, server, T, T.plusSeconds(60)))
        .compose(
            raw -> {
              ctx.verify(
                  () -> {
                    assertThat(raw.getString("resolution")).isEqualTo("raw");
                    assertPoint(raw.getJsonArray("points"));
                  });
              return verticle.downsampleNow(T.plus(Duration.ofHours(2)));
            })
        .compose(n -> query(vertx, server, T, T.plus(Duration.ofDays(2))))
        .onComplete(
            ctx.succeeding(
                hourly ->
                    ctx.verify(
                        () -> {
                          assertThat(hourly.getString("resolution")).isEqualTo("hourly");
                          assertPoint(hourly.getJsonArray("points"));
                          ctx.completeNow();
                        })));
  }

  /**
   * One point of one sample: every figure as written, and host figures also as its own min and max.
   */
  private static void assertPoint(JsonArray points) {
    assertThat(points).hasSize(1);
    JsonObject p = points.getJsonObject(0);
    assertThat(p.getLong("samples")).isEqualTo(1);
    HOST.forEach((name, v) -> same(name, at(p, name), v));
    MEMORY.forEach((name, v) -> same(name, at(p, name), v));
    for (String name : HOST.keySet()) {
      if (!name.equals("interval_s")) { // the sampling interval has no extremes
        same("min " + name, p.getJsonObject("min").getValue(name), HOST.get(name));
        same("max " + name, p.getJsonObject("max").getValue(name), HOST.get(name));
      }
    }
    MEMORY.forEach(
        (name, v) -> {
          same("min " + name, p.getJsonObject("min").getValue(name), v);
          same("max " + name, p.getJsonObject("max").getValue(name), v);
        });
    assertThat(p.getJsonObject("cpu").getJsonArray("per_core").getList()).isEqualTo(CORES);
    JsonArray gpus = p.getJsonArray("gpus");
    assertThat(gpus).hasSize(2);
    for (int k = 1; k <= 2; k++) {
      JsonObject g = gpus.getJsonObject(k - 1);
      for (var e : GPU.entrySet()) {
        same("gpu " + k + " " + e.getKey(), g.getValue(e.getKey()), device(GPU, e.getKey(), k));
      }
      assertThat(g.getString("uuid")).isEqualTo("GPU-" + k);
    }
    devices(p.getJsonObject("disk").getJsonArray("disks"), DISK, "sda");
    devices(p.getJsonObject("network").getJsonArray("interfaces"), NIC, "eth");
  }

  private static void devices(JsonArray devices, Map<String, Number> figures, String name) {
    assertThat(devices).hasSize(2);
    for (int k = 1; k <= 2; k++) {
      JsonObject d = devices.getJsonObject(k - 1);
      assertThat(d.getString("name")).isEqualTo(name + k);
      for (var e : figures.entrySet()) {
        same(name + k + " " + e.getKey(), d.getValue(e.getKey()), device(figures, e.getKey(), k));
      }
    }
  }

  /**
   * Where the derived snapshot has the figure: {@code section.key}, a top-level key, or a load
   * average.
   */
  private static Object at(JsonObject point, String name) {
    List<String> loads = List.of("load1", "load5", "load15");
    if (loads.contains(name)) {
      return point.getJsonObject("cpu").getJsonArray("load_avg").getValue(loads.indexOf(name));
    }
    int dot = name.indexOf('.');
    return dot < 0
        ? point.getValue(name)
        : point.getJsonObject(name.substring(0, dot)).getValue(name.substring(dot + 1));
  }

  /** Byte counts and totals must come back as JSON integers, everything else as the same number. */
  private static void same(String what, Object actual, Number expected) {
    assertThat(actual).as(what).isInstanceOf(Number.class);
    if (expected instanceof Long) {
      assertThat(actual).as(what + " is an integer").isInstanceOfAny(Integer.class, Long.class);
      assertThat(((Number) actual).longValue()).as(what).isEqualTo(expected.longValue());
    } else {
      assertThat(((Number) actual).doubleValue()).as(what).isEqualTo(expected.doubleValue());
    }
  }

  /** Device {@code k}'s (1 or 2) value of a figure. */
  private static Number device(Map<String, Number> figures, String name, int k) {
    Number v = figures.get(name);
    if (name.equals("index")) {
      return v.intValue() * k;
    }
    return v instanceof Long l ? (Number) (l / k) : (Number) (v.doubleValue() / k);
  }

  private static double g(String name, int k) {
    return device(GPU, name, k).doubleValue();
  }

  private static long gl(String name, int k) {
    return device(GPU, name, k).longValue();
  }

  /**
   * Built by hand from the maps, constructor argument by argument: nothing here comes from the
   * tables.
   */
  static DerivedSnapshot snapshot(String server) {
    List<GpuFigures> gpus = List.of(gpu(1), gpu(2));
    List<DiskRates> disks = List.of(disk(1), disk(2));
    List<NicRates> nics = List.of(nic(1), nic(2));
    return new DerivedSnapshot(
        server,
        T.plusSeconds(7),
        "boot-rt",
        1,
        HOST.get("interval_s"),
        false,
        null,
        new CpuFigures(
            HOST.get("cpu.utilization"),
            CORES,
            HOST.get("cpu.iowait"),
            HOST.get("cpu.steal"),
            List.of(HOST.get("load1"), HOST.get("load5"), HOST.get("load15"))),
        new MemoryFigures(
            MEMORY.get("memory.ram_used"),
            MEMORY.get("memory.ram_total"),
            MEMORY.get("memory.ram_available"),
            MEMORY.get("memory.swap_used"),
            MEMORY.get("memory.swap_total"),
            HOST.get("memory.swap_in_rate"),
            HOST.get("memory.swap_out_rate")),
        new DiskFigures(HOST.get("disk.read_rate"), HOST.get("disk.write_rate"), disks),
        new NetworkFigures(
            HOST.get("network.upload_rate"), HOST.get("network.download_rate"), nics),
        gpus,
        new GpuRollup(
            HOST.get("gpu_util_max"),
            HOST.get("gpu_util_avg"),
            MEMORY.get("gpu_memory_used"),
            MEMORY.get("gpu_memory_total")),
        new Bottleneck("idle", List.of(), List.of()),
        List.of());
  }

  private static GpuFigures gpu(int k) {
    return new GpuFigures(
        (int) gl("index", k),
        "GPU-" + k,
        "NVIDIA H100",
        g("utilization", k),
        g("memory_utilization", k),
        gl("memory_used", k),
        gl("memory_total", k),
        g("temperature", k),
        g("power", k),
        g("average_power", k),
        g("power_limit", k),
        g("fan", k),
        g("sm_clock", k),
        g("mem_clock", k),
        g("pcie_rx_rate", k),
        g("pcie_tx_rate", k),
        g("encoder", k),
        g("decoder", k),
        List.of(),
        gl("ecc_uncorrected_total", k),
        false,
        List.of());
  }

  private static DiskRates disk(int k) {
    return new DiskRates(
        "sda" + k,
        d(DISK, "read_rate", k),
        d(DISK, "write_rate", k),
        d(DISK, "read_iops", k),
        d(DISK, "write_iops", k),
        d(DISK, "utilization", k));
  }

  private static NicRates nic(int k) {
    return new NicRates(
        "eth" + k, d(NIC, "upload_rate", k), d(NIC, "download_rate", k), d(NIC, "error_rate", k));
  }

  private static double d(Map<String, Number> figures, String name, int k) {
    return device(figures, name, k).doubleValue();
  }

  private static Future<JsonObject> query(Vertx vertx, String server, Instant from, Instant to) {
    return vertx
        .eventBus()
        .<Buffer>request(Addresses.HISTORY_QUERY, new HistoryQuery(server, from, to, null).toJson())
        .map(m -> new JsonObject(m.body()));
  }

  private static Set<String> names(Stream<Field> fields) {
    return fields.map(Field::name).collect(Collectors.toSet());
  }
}
