package dev.trainwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import dev.trainwatch.bus.raw.AgentInfo;
import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.bus.raw.XidEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming reader ({@link JsonCursor} + the records' {@code read}) on JSON bytes, as the
 * ingest body arrives.
 */
class JsonCursorTest {

  static RawSnapshot read(String json) {
    return JsonCursor.readObject(Buffer.buffer(json), "", RawSnapshot::read);
  }

  static RawSnapshot read(JsonObject o) {
    return read(o.encode());
  }

  static final long TOP = -1L; // 2^64 - 1
  static final String CORE =
      "8 tick counters [user, nice, system, idle, iowait, irq, softirq, steal]";
  static final long TWO_63 = Long.MIN_VALUE; // 2^63

  static RawSnapshot full() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("rack", "r1");
    labels.put("zone", "z");
    long[][] ticks = {{1, 2, 3, 4, 5, 6, 7, 8}, {TOP, TWO_63, 0, Long.MAX_VALUE, 9, 10, 11, 12}};
    GpuRaw g =
        new GpuRaw(
            3,
            "GPU-1",
            "H100",
            "00000000:10:00.0",
            97.5,
            41.0,
            TWO_63,
            TOP,
            -5.5,
            512.3,
            700.0,
            null,
            1980.0,
            2619.0,
            TOP,
            1.2e9,
            3.4e8,
            0.0,
            1.0,
            List.of("sw_power_cap", "hw_slowdown"),
            7L,
            true,
            List.of(
                new XidEvent(79, Instant.parse("2026-11-22T05:59:59.250Z")),
                new XidEvent(0, Instant.parse("1970-01-01T00:00:00Z"))));
    GpuRaw bare =
        new GpuRaw(
            0, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, false, null);
    return new RawSnapshot(
        Instant.parse("2026-11-22T06:00:00.123Z"),
        new AgentInfo("0.1.0", "gpu-box-01", labels, "6f0c1d2e", Long.MAX_VALUE, 86_400_123L),
        new CpuRaw(ticks, List.of(0.5, 0.4, 1e6), List.of(3400.0, 0.0)),
        new MemoryRaw(TOP, TWO_63, 1L, 0L, null, 5L, TOP),
        new PressureRaw(TOP, 1L, 2L, TWO_63, 4L),
        List.of(
            new DiskRaw("nvme0n1", "S1", TOP, TWO_63, 3L, 4L, 5L),
            new DiskRaw("sda", null, null, null, null, null, null)),
        List.of(new NicRaw("eth0", "aa:bb", TOP, TWO_63, 1L, 2L, 0L, 0L)),
        List.of(g, bare),
        List.of(
            new GpuProcess(Integer.MAX_VALUE, 1023, TOP, "C", "alice", "python train.py", "abc"),
            new GpuProcess(0, 0, null, null, null, null, null)));
  }

  @Test
  void roundTripsEveryFieldIncludingCountersPast2Pow63() {
    RawSnapshot s = full();
    RawSnapshot r = read(s.toJson());
    assertThat(r.ts()).isEqualTo(s.ts());
    assertThat(r.agent()).isEqualTo(s.agent());
    assertThat(r.agent().labels()).containsExactly(Map.entry("rack", "r1"), Map.entry("zone", "z"));
    assertThat(r.cpu().ticks()).isDeepEqualTo(s.cpu().ticks());
    assertThat(r.cpu().loadAvg()).isEqualTo(s.cpu().loadAvg());
    assertThat(r.cpu().freqMhz()).isEqualTo(s.cpu().freqMhz());
    assertThat(r.memory()).isEqualTo(s.memory());
    assertThat(r.pressure()).isEqualTo(s.pressure());
    assertThat(r.disks()).isEqualTo(s.disks());
    assertThat(r.networks()).isEqualTo(s.networks());
    assertThat(r.gpus()).isEqualTo(s.gpus());
    assertThat(r.gpuProcesses()).isEqualTo(s.gpuProcesses());
    assertThat(Long.toUnsignedString(r.cpu().ticks()[1][0])).isEqualTo("18446744073709551615");
    assertThat(Long.toUnsignedString(r.memory().availableBytes())).isEqualTo("9223372036854775808");
    assertThat(r.toJson()).isEqualTo(s.toJson());
  }

  @Test
  void theTreeEntryPointsAreTheSameReader() {
    RawSnapshot s = full();
    assertThat(RawSnapshot.fromJson(s.toJson()).toJson()).isEqualTo(s.toJson());
    assertThat(GpuRaw.fromJson(s.gpus().get(0).toJson(), "gpus[0]")).isEqualTo(s.gpus().get(0));
    assertThatThrownBy(() -> GpuRaw.fromJson(new JsonObject().put("index", 2000), "gpus[4]"))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class, e -> assertThat(e.field()).isEqualTo("gpus[4].index"));
    RawSample env = new RawSample("box", "10.0.0.7", s);
    assertThat(RawSample.fromJson(env.toJson()).toJson()).isEqualTo(env.toJson());
    assertThat(RawSample.fromJson(env.toJson().toBuffer()).toJson()).isEqualTo(env.toJson());
    JsonObject bad = env.toJson();
    bad.getJsonObject("snapshot").getJsonObject("agent").put("seq", -1);
    assertThatThrownBy(() -> RawSample.fromJson(bad))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class,
            e -> assertThat(e.field()).isEqualTo("snapshot.agent.seq"));
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        bad(o -> o.remove("schema"), "schema", "is required"),
        bad(o -> o.putNull("schema"), "schema", "is required"),
        bad(o -> o.put("schema", 2), "schema", "must be 1 (this server speaks schema 1)"),
        bad(o -> o.put("schema", "1"), "schema", "must be a number"),
        bad(o -> o.put("schema", 1.5), "schema", "must be an integer"),
        bad(o -> o.remove("ts"), "ts", "is required"),
        bad(o -> o.put("ts", ""), "ts", "is required"),
        bad(o -> o.put("ts", 5), "ts", "must be a string"),
        bad(o -> o.put("ts", "x".repeat(65)), "ts", "is longer than 64 characters"),
        bad(o -> o.put("ts", "2026-02-30T00:00:00Z"), "ts", "must be an RFC 3339 UTC timestamp"),
        bad(o -> o.remove("agent"), "agent", "is required"),
        bad(o -> o.put("agent", new JsonArray()), "agent", "must be an object"),
        bad(o -> agent(o).remove("boot_id"), "agent.boot_id", "is required"),
        bad(o -> agent(o).put("boot_id", ""), "agent.boot_id", "is required"),
        bad(
            o -> agent(o).put("boot_id", "b".repeat(65)),
            "agent.boot_id",
            "is longer than 64 characters"),
        bad(o -> agent(o).put("seq", -1), "agent.seq", "must be between 0 and 9223372036854775807"),
        bad(o -> agent(o).put("seq", "12"), "agent.seq", "must be a number"),
        bad(
            o -> agent(o).put("seq", new BigInteger("9223372036854775808")),
            "agent.seq",
            "must be between 0"),
        bad(o -> agent(o).put("seq", 1e300), "agent.seq", "must be an integer"),
        bad(o -> agent(o).remove("uptime_ms"), "agent.uptime_ms", "is required"),
        bad(o -> agent(o).put("version", 1), "agent.version", "must be a string"),
        bad(
            o -> agent(o).put("hostname", "h".repeat(254)),
            "agent.hostname",
            "is longer than 253 characters"),
        bad(o -> agent(o).put("labels", "rack"), "agent.labels", "must be an object"),
        bad(
            o -> agent(o).getJsonObject("labels").put("", "x"),
            "agent.labels",
            "label names must be 1 to 64 characters"),
        bad(
            o -> agent(o).getJsonObject("labels").put("k".repeat(65), "x"),
            "agent.labels",
            "label names must be"),
        bad(
            o -> agent(o).getJsonObject("labels").putNull("rack"),
            "agent.labels.rack",
            "is required"),
        bad(
            o -> agent(o).getJsonObject("labels").put("rack", ""),
            "agent.labels.rack",
            "is required"),
        bad(
            o -> agent(o).getJsonObject("labels").put("rack", 1),
            "agent.labels.rack",
            "must be a string"),
        bad(
            o -> agent(o).getJsonObject("labels").put("rack", "v".repeat(257)),
            "agent.labels.rack",
            "longer than 256"),
        bad(
            o -> {
              JsonObject l = new JsonObject();
              for (int i = 0; i < 70; i++) {
                l.put("k" + i, "v");
              }
              agent(o).put("labels", l);
            },
            "agent.labels",
            "has 70 entries, at most 64 allowed"),
        bad(o -> o.put("cpu", 1), "cpu", "must be an object"),
        bad(
            o -> cpu(o).put("ticks_ms_total", new JsonObject()),
            "cpu.ticks_ms_total",
            "must be an array"),
        bad(
            o -> ticks(o).set(1, 5),
            "cpu.ticks_ms_total[1]",
            "must be an array of 8 tick counters [user, nice"),
        bad(
            o -> ticks(o).addNull(),
            "cpu.ticks_ms_total[2]",
            "must be an array of 8 tick counters"),
        bad(
            o -> ticks(o).getJsonArray(0).remove(7),
            "cpu.ticks_ms_total[0]",
            "8 tick counters [user, nice, system, idle, iowait, irq, softirq, steal], has 7"),
        bad(o -> ticks(o).getJsonArray(1).add(1).add(2), "cpu.ticks_ms_total[1]", ", has 10"),
        bad(
            o -> ticks(o).getJsonArray(1).set(2, -5),
            "cpu.ticks_ms_total[1][2]",
            JsonScalars.COUNTER),
        bad(
            o -> ticks(o).getJsonArray(1).set(3, 1.5),
            "cpu.ticks_ms_total[1][3]",
            JsonScalars.COUNTER),
        bad(
            o -> ticks(o).getJsonArray(1).set(3, "7"),
            "cpu.ticks_ms_total[1][3]",
            JsonScalars.COUNTER),
        bad(
            o -> ticks(o).getJsonArray(1).set(3, true),
            "cpu.ticks_ms_total[1][3]",
            JsonScalars.COUNTER),
        bad(
            o -> ticks(o).getJsonArray(1).set(3, new JsonObject()),
            "cpu.ticks_ms_total[1][3]",
            JsonScalars.COUNTER),
        bad(
            o -> ticks(o).getJsonArray(0).set(4, null),
            "cpu.ticks_ms_total[0][4]",
            "must be a number"),
        bad(
            o -> ticks(o).getJsonArray(0).set(0, new BigInteger("18446744073709551616")),
            "cpu.ticks_ms_total[0][0]",
            "must fit an unsigned 64-bit counter"),
        bad(
            o -> ticks(o).getJsonArray(0).set(0, new BigInteger("-9223372036854775809")),
            "cpu.ticks_ms_total[0][0]",
            "must fit an unsigned 64-bit counter"),
        bad(
            o -> ticks(o).getJsonArray(0).set(0, 1e16),
            "cpu.ticks_ms_total[0][0]",
            JsonScalars.COUNTER),
        bad(
            o -> cpu(o).put("load_avg", new JsonArray().add(1).add(1).add(1).add(1)),
            "cpu.load_avg",
            "has 4 elements, at most 3 allowed"),
        bad(
            o -> cpu(o).put("load_avg", new JsonArray().add(1).add(-1)),
            "cpu.load_avg[1]",
            "must be between 0 and 1000000"),
        bad(
            o -> cpu(o).put("load_avg", new JsonArray().addNull()),
            "cpu.load_avg[0]",
            "must be a number"),
        bad(
            o -> cpu(o).put("freq_mhz", new JsonArray().add("fast")),
            "cpu.freq_mhz[0]",
            "must be a number"),
        bad(o -> cpu(o).put("freq_mhz", 3400), "cpu.freq_mhz", "must be an array"),
        bad(
            o -> o.getJsonObject("memory").put("total_bytes", 1.5),
            "memory.total_bytes",
            JsonScalars.COUNTER),
        bad(
            o -> o.getJsonObject("memory").put("used_bytes", -1),
            "memory.used_bytes",
            JsonScalars.COUNTER),
        bad(
            o -> o.put("pressure", new JsonObject().put("io_full_us_total", "1")),
            "pressure.io_full_us_total",
            JsonScalars.COUNTER),
        bad(o -> o.put("disks", "sda"), "disks", "must be an array"),
        bad(o -> o.getJsonArray("disks").add("sda"), "disks[1]", "must be an object"),
        bad(o -> o.getJsonArray("disks").addNull(), "disks[1]", "must be an object"),
        bad(
            o -> o.getJsonArray("disks").getJsonObject(0).remove("name"),
            "disks[0].name",
            "is required"),
        bad(
            o -> o.getJsonArray("disks").getJsonObject(0).put("serial", "s".repeat(129)),
            "disks[0].serial",
            "is longer than 128"),
        bad(
            o -> o.getJsonArray("disks").getJsonObject(0).put("busy_time_ms_total", -3),
            "disks[0].busy_time_ms_total",
            JsonScalars.COUNTER),
        bad(
            o -> o.getJsonArray("networks").getJsonObject(0).remove("name"),
            "networks[0].name",
            "is required"),
        bad(
            o -> o.getJsonArray("networks").getJsonObject(0).put("mac", 12),
            "networks[0].mac",
            "must be a string"),
        bad(
            o -> o.getJsonArray("networks").getJsonObject(0).put("rx_errors_total", -1),
            "networks[0].rx_errors_total",
            JsonScalars.COUNTER),
        bad(o -> o.put("gpus", new JsonObject()), "gpus", "must be an array"),
        bad(o -> gpu(o).remove("index"), "gpus[0].index", "is required"),
        bad(o -> gpu(o).put("index", 1024), "gpus[0].index", "must be between 0 and 1023"),
        bad(o -> gpu(o).put("index", 2.5), "gpus[0].index", "must be an integer"),
        bad(
            o -> gpu(o).put("utilization_percent", 101),
            "gpus[0].utilization_percent",
            "must be between 0 and 100"),
        bad(o -> gpu(o).put("temperature_c", "hot"), "gpus[0].temperature_c", "must be a number"),
        bad(
            o -> gpu(o).put("temperature_c", -61),
            "gpus[0].temperature_c",
            "must be between -60 and 200"),
        bad(
            o -> gpu(o).put("pcie_rx_bytes_per_s", 2e13),
            "gpus[0].pcie_rx_bytes_per_s",
            "must be between 0 and 10000000000000"),
        bad(
            o -> gpu(o).put("name", "x".repeat(129)),
            "gpus[0].name",
            "is longer than 128 characters"),
        bad(
            o -> gpu(o).put("memory_used_bytes", -1),
            "gpus[0].memory_used_bytes",
            JsonScalars.COUNTER),
        bad(o -> gpu(o).put("mig_enabled", "yes"), "gpus[0].mig_enabled", "must be true or false"),
        bad(
            o -> gpu(o).put("clock_event_reasons", new JsonArray().add(1)),
            "gpus[0].clock_event_reasons[0]",
            "must be a string"),
        bad(
            o -> gpu(o).put("clock_event_reasons", new JsonArray().addNull()),
            "gpus[0].clock_event_reasons[0]",
            "must be a string"),
        bad(
            o -> gpu(o).put("clock_event_reasons", new JsonArray().add("r".repeat(65))),
            "gpus[0].clock_event_reasons[0]",
            "longer than 64"),
        bad(
            o -> {
              JsonArray many = new JsonArray();
              for (int i = 0; i < 40; i++) {
                many.add("r");
              }
              gpu(o).put("clock_event_reasons", many);
            },
            "gpus[0].clock_event_reasons",
            "has 40 elements, at most 32 allowed"),
        bad(
            o -> gpu(o).getJsonArray("xid_events").getJsonObject(0).put("ts", "yesterday"),
            "gpus[0].xid_events[0].ts",
            "RFC 3339"),
        bad(
            o -> gpu(o).getJsonArray("xid_events").getJsonObject(0).remove("xid"),
            "gpus[0].xid_events[0].xid",
            "is required"),
        bad(
            o -> gpu(o).getJsonArray("xid_events").add(1),
            "gpus[0].xid_events[1]",
            "must be an object"),
        bad(
            o -> {
              JsonArray many = new JsonArray();
              for (int i = 0; i < 65; i++) {
                many.add(new JsonObject().put("index", i));
              }
              o.put("gpus", many);
            },
            "gpus",
            "has 65 elements, at most 64 allowed"),
        bad(
            o -> o.getJsonArray("gpu_processes").getJsonObject(0).put("pid", 1L << 31),
            "gpu_processes[0].pid",
            "must be between 0 and 2147483647"),
        bad(
            o -> o.getJsonArray("gpu_processes").getJsonObject(0).remove("gpu_index"),
            "gpu_processes[0].gpu_index",
            "is required"),
        bad(
            o -> o.getJsonArray("gpu_processes").getJsonObject(0).put("command", "c".repeat(1025)),
            "gpu_processes[0].command",
            "longer than 1024"));
  }

  private static JsonObject agent(JsonObject o) {
    return o.getJsonObject("agent");
  }

  private static JsonObject cpu(JsonObject o) {
    return o.getJsonObject("cpu");
  }

  private static JsonArray ticks(JsonObject o) {
    return cpu(o).getJsonArray("ticks_ms_total");
  }

  private static JsonObject gpu(JsonObject o) {
    return o.getJsonArray("gpus").getJsonObject(0);
  }

  private static Arguments bad(Consumer<JsonObject> mutation, String field, String reason) {
    return Arguments.of(mutation, field, reason);
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("rejections")
  void rejectsNamingTheFieldAndTheReason(
      Consumer<JsonObject> mutation, String field, String reason) {
    JsonObject o = Samples.agentSnapshot();
    mutation.accept(o);
    assertThatThrownBy(() -> read(o))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).contains(reason);
            });
  }

  /**
   * Bodies with the same two faults, X then Y in the text, and Y then X: each names the one that
   * comes first. A container found too long is at fault from its first element past the limit,
   * before what that element holds.
   */
  static Stream<Arguments> twoFaults() {
    JsonArray gpus = new JsonArray();
    for (int i = 0; i < 65; i++) {
      gpus.add(new JsonObject().put("index", i));
    }
    JsonObject labels = new JsonObject();
    for (int i = 0; i < 70; i++) {
      labels.put("k" + i, "v");
    }
    JsonObject badGpu = new JsonObject().put("index", "bad");
    return Stream.of(
        order(
            o -> o.put("schema", "x").getJsonObject("memory").put("used_bytes", -1),
            o -> {
              o.put("schema", "x").getJsonObject("memory").put("used_bytes", -1);
              moveToEnd(o, "schema");
            },
            "schema",
            "must be a number",
            "memory.used_bytes",
            JsonScalars.COUNTER),
        order(
            o -> cpu(o).put("load_avg", arr("x", 1, 1, 1)),
            o -> cpu(o).put("load_avg", arr(1, 1, 1, "x")),
            "cpu.load_avg[0]",
            "must be a number",
            "cpu.load_avg",
            "has 4 elements, at most 3 allowed"),
        order(
            o -> o.put("gpus", new JsonArray().add(badGpu).addAll(gpus)),
            o -> o.put("gpus", gpus.copy().add(badGpu)),
            "gpus[0].index",
            "must be a number",
            "gpus",
            "has 66 elements, at most 64 allowed"),
        order(
            o -> ticks(o).set(1, arr(-1, 2, 3, 4, 5, 6, 7, 8, 9)),
            o -> ticks(o).set(1, arr(1, 2, 3, 4, 5, 6, 7, 8, -1)),
            "cpu.ticks_ms_total[1][0]",
            JsonScalars.COUNTER,
            "cpu.ticks_ms_total[1]",
            "8 tick counters"),
        order(
            o -> agent(o).put("labels", new JsonObject().put("first", "").mergeIn(labels)),
            o -> agent(o).put("labels", labels.copy().put("first", "")),
            "agent.labels.first",
            "is required",
            "agent.labels",
            "has 71 entries, at most 64 allowed"),
        // an absent member is noticed at the end of its object
        order(
            o -> {
              o.getJsonArray("disks").getJsonObject(0).remove("name");
              o.getJsonArray("networks").getJsonObject(0).put("mac", 12);
            },
            o -> {
              o.getJsonArray("disks").getJsonObject(0).remove("name");
              o.getJsonArray("networks").getJsonObject(0).put("mac", 12);
              moveToEnd(o, "disks");
            },
            "disks[0].name",
            "is required",
            "networks[0].mac",
            "must be a string"));
  }

  private static Arguments order(
      Consumer<JsonObject> xThenY,
      Consumer<JsonObject> yThenX,
      String xField,
      String xReason,
      String yField,
      String yReason) {
    return Arguments.of(xThenY, yThenX, xField, xReason, yField, yReason);
  }

  /** Moves member {@code key} after the others (a JsonObject keeps insertion order). */
  private static void moveToEnd(JsonObject o, String key) {
    Object v = o.remove(key);
    o.put(key, v);
  }

  @ParameterizedTest(name = "{2} / {4}")
  @MethodSource("twoFaults")
  void theFirstFaultInTheTextIsNamed(
      Consumer<JsonObject> xThenY,
      Consumer<JsonObject> yThenX,
      String xField,
      String xReason,
      String yField,
      String yReason) {
    JsonObject xy = Samples.agentSnapshot();
    xThenY.accept(xy);
    assertFault(xy.encode(), xField, xReason);
    JsonObject yx = Samples.agentSnapshot();
    yThenX.accept(yx);
    assertFault(yx.encode(), yField, yReason);
  }

  @Test
  void aFaultKnownOnlyAtTheEndOfAContainerComesAfterWhatItHolds() {
    JsonObject core = Samples.agentSnapshot();
    ticks(core).set(0, arr(1, "y"));
    assertFault(core.encode(), "cpu.ticks_ms_total[0][1]", JsonScalars.COUNTER);
    ticks(core).set(0, arr(1));
    assertFault(core.encode(), "cpu.ticks_ms_total[0]", CORE + ", has 1");
    JsonObject disk = Samples.agentSnapshot();
    disk.getJsonArray("disks").getJsonObject(0).put("busy_time_ms_total", -3).remove("name");
    assertFault(disk.encode(), "disks[0].busy_time_ms_total", JsonScalars.COUNTER);
    JsonObject snapshot = Samples.agentSnapshot();
    snapshot.remove("schema");
    gpu(snapshot).put("index", 1024);
    assertFault(snapshot.encode(), "gpus[0].index", "must be between 0 and 1023");
  }

  @Test
  void aSizeFaultCountsTheRestUnlessTheTextBreaksOff() {
    String s = Samples.agentSnapshot().encode();
    String longer = s.replace("\"load_avg\":[0.5,0.4,0.3]", "\"load_avg\":[0.5,0.4,0.3,1,2]");
    assertThat(longer).isNotEqualTo(s);
    assertFault(longer, "cpu.load_avg", "has 5 elements, at most 3 allowed");
    String broken = s.replace("\"load_avg\":[0.5,0.4,0.3]", "\"load_avg\":[0.5,0.4,0.3,1,}");
    assertFault(broken, "cpu.load_avg", "has more than 3 elements, at most 3 allowed");
    String core = s.replace("[100,0,50,800,10,1,2,0]", "[100,0,50,800,10,1,2,0,7,}");
    assertThat(core).isNotEqualTo(s);
    assertFault(core, "cpu.ticks_ms_total[0]", CORE + ", has more than 8");
  }

  private static void assertFault(String json, String field, String reason) {
    assertThatThrownBy(() -> parseRaw(json))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).contains(reason);
            });
  }

  private static JsonArray arr(Object... values) {
    return Samples.arr(values);
  }

  @Test
  void skipsUnknownKeysWhateverTheyHold() {
    JsonObject o = Samples.agentSnapshot();
    JsonObject junk =
        new JsonObject()
            .put(
                "a",
                new JsonArray().add(new JsonObject().put("seq", "no")).add(new JsonArray().add(1)))
            .put("b", "str")
            .put("c", 1.5)
            .put("d", true)
            .putNull("e");
    o.put("zz", junk).put("labels2", new JsonArray().add(junk));
    agent(o).put("future", junk);
    cpu(o).put("future", new JsonArray().add(junk));
    gpu(o).put("future", junk);
    o.getJsonObject("memory").put("future", "x");
    o.getJsonArray("disks").getJsonObject(0).put("future", new JsonArray());
    o.getJsonArray("networks").getJsonObject(0).put("future", new JsonObject());
    o.getJsonArray("gpu_processes").getJsonObject(0).put("future", 1);
    gpu(o).getJsonArray("xid_events").getJsonObject(0).put("future", junk);
    RawSnapshot s = read(o);
    assertThat(s.toJson()).isEqualTo(read(Samples.agentSnapshot()).toJson());
  }

  @Test
  void nullIsAbsent() {
    JsonObject o = Samples.agentSnapshot();
    o.putNull("cpu")
        .putNull("memory")
        .putNull("pressure")
        .putNull("disks")
        .putNull("networks")
        .putNull("gpu_processes");
    agent(o).putNull("version").putNull("labels");
    gpu(o)
        .putNull("uuid")
        .putNull("clock_event_reasons")
        .putNull("xid_events")
        .putNull("mig_enabled")
        .putNull("energy_mj_total");
    RawSnapshot s = read(o);
    assertThat(s.cpu()).isNull();
    assertThat(s.memory()).isNull();
    assertThat(s.disks()).isEmpty();
    assertThat(s.networks()).isEmpty();
    assertThat(s.gpuProcesses()).isEmpty();
    assertThat(s.agent().version()).isNull();
    assertThat(s.agent().labels()).isEmpty();
    GpuRaw g = s.gpus().get(0);
    assertThat(g.fanPercent()).isNull();
    assertThat(g.uuid()).isNull();
    assertThat(g.clockEventReasons()).isNull();
    assertThat(g.xidEvents()).isNull();
    assertThat(g.migEnabled()).isNull();
    assertThat(g.energyMjTotal()).isNull();
    JsonObject t = Samples.agentSnapshot();
    cpu(t).putNull("ticks_ms_total");
    assertThat(read(t).cpu().ticks()).isEmpty();
  }

  @Test
  void aRepeatedKeyTakesTheLastValueButEveryOneMustBeValid() {
    String base = Samples.agentSnapshot().encode();
    String twice = base.replace("\"seq\":1234", "\"seq\":1,\"seq\":1234");
    assertThat(twice).isNotEqualTo(base);
    assertThat(read(twice).agent().seq()).isEqualTo(1234);
    String nulled = base.replace("\"seq\":1234", "\"seq\":1234,\"seq\":null");
    assertThatThrownBy(() -> read(nulled))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class, e -> assertThat(e.field()).isEqualTo("agent.seq"));
    String badFirst = base.replace("\"seq\":1234", "\"seq\":\"x\",\"seq\":1234");
    assertThatThrownBy(() -> read(badFirst))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class, e -> assertThat(e.field()).isEqualTo("agent.seq"));
    String labels = base.replace("{\"rack\":\"r1\"}", "{\"rack\":\"r0\",\"rack\":\"r1\"}");
    assertThat(read(labels).agent().labels()).containsExactly(Map.entry("rack", "r1"));
  }

  @Test
  void theLimitsOfJsonLimitsMakeItNotJson() {
    StringBuilder deep = new StringBuilder("{\"schema\":1,\"x\":");
    for (int i = 0; i < JsonLimits.MAX_NESTING_DEPTH; i++) {
      deep.append('[');
    }
    String tooDeep = deep + "]".repeat(JsonLimits.MAX_NESTING_DEPTH) + "}";
    assertNotJson(tooDeep);
    String deepEnough =
        "{\"x\":"
            + "[".repeat(JsonLimits.MAX_NESTING_DEPTH - 1)
            + "]".repeat(JsonLimits.MAX_NESTING_DEPTH - 1)
            + "}";
    assertThatThrownBy(() -> parseRaw(deepEnough))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class, e -> assertThat(e.field()).isEqualTo("schema"));
    // Unknown keys are skipped, yet the limits apply there as they did to the whole tree.
    assertNotJson(withUnknown("\"" + "s".repeat(JsonLimits.MAX_STRING_LENGTH + 1) + "\""));
    assertNotJson(withUnknown("1" + "0".repeat(JsonLimits.MAX_NUMBER_LENGTH)));
    assertNotJson(
        Samples.agentSnapshot().put("n".repeat(JsonLimits.MAX_NAME_LENGTH + 1), 1).encode());
    assertThat(
            parseRaw(withUnknown("\"" + "s".repeat(JsonLimits.MAX_STRING_LENGTH) + "\""))
                .agent()
                .seq())
        .isEqualTo(1234);
  }

  @Test
  void aSyntaxErrorIsAFaultInDocumentOrderToo() {
    String bad = Samples.agentSnapshot().put("schema", 7).encode();
    String open = bad.substring(0, bad.length() - 1);
    // schema is the first member: its fault comes before anything that breaks off later
    assertFault(open + ",}", "schema", "must be 1");
    assertFault(open, "schema", "must be 1");
    assertFault(bad + " {}", "schema", "must be 1");
    // the same syntax errors ahead of the contract fault
    String good = Samples.agentSnapshot().encode();
    assertNotJson("{\"x\":[1,}," + bad.substring(1));
    assertNotJson(good.substring(0, good.length() - 1) + ",}");
    assertNotJson(good + " x");
    assertNotJson("");
    // Vert.x's codec allows comments; so does this reader.
    assertThat(parseRaw("/* hi */" + Samples.agentSnapshot().encode()).agent().seq())
        .isEqualTo(1234);
  }

  private static String withUnknown(String value) {
    String s = Samples.agentSnapshot().encode();
    return s.substring(0, s.length() - 1) + ",\"unknown\":" + value + "}";
  }

  private static RawSnapshot parseRaw(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    try (JsonCursor c = JsonCursor.open(b, 0, b.length, "")) {
      if (c.first() != JsonToken.START_OBJECT) {
        throw new InvalidPayloadException("", "must be an object");
      }
      RawSnapshot s = RawSnapshot.read(c);
      c.finish();
      return s;
    }
  }

  /**
   * RFC 8259 §8.1: UTF-8 only. Jackson alone would detect and decode UTF-16 and UTF-32 (issue 13's
   * battery).
   */
  @Test
  void onlyUtf8IsJson() {
    byte[] utf8 = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonCursor.utf8(utf8, 0, utf8.length)).isTrue();
    byte[] bom8 = "\uFEFF{}".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonCursor.utf8(bom8, 0, bom8.length))
        .as("a UTF-8 byte order mark is allowed")
        .isTrue();
    for (Charset cs :
        List.of(
            StandardCharsets.UTF_16,
            StandardCharsets.UTF_16LE,
            StandardCharsets.UTF_16BE,
            Charset.forName("UTF-32"))) {
      byte[] b = "{\"a\":1}".getBytes(cs);
      assertThatThrownBy(() -> JsonCursor.open(b, 0, b.length, ""))
          .as(cs.name())
          .isInstanceOf(JsonCursor.Malformed.class)
          .hasMessageContaining("UTF-8");
    }
    assertThat(JsonCursor.utf8(new byte[] {'1'}, 0, 1)).isTrue();
  }

  private static void assertNotJson(String json) {
    assertThatThrownBy(() -> parseRaw(json)).isInstanceOf(JsonCursor.Malformed.class);
  }

  @Test
  void timestampsAreTheCanonicalShapeOfInstantParseAndNothingMore() {
    List<String> samples =
        new ArrayList<>(
            List.of(
                "2026-11-22T06:00:00.123Z",
                "2026-11-22T06:00:00Z",
                "2024-02-29T23:59:59.999999999Z",
                "2023-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-11-22T24:00:00Z",
                "2026-11-22T06:60:00Z",
                "2026-11-22T06:00:60Z",
                "2026-11-22T06:00:00.Z",
                "2026-11-22T06:00:00.1234567890Z",
                "2026-11-22t06:00:00z",
                "2026-11-22T06:00:00+01:00",
                "0000-01-01T00:00:00Z",
                "1969-12-31T23:59:59.5Z",
                "2000-02-29T12:00:00.1Z",
                "1900-02-29T00:00:00Z",
                "2026-04-31T00:00:00Z",
                "+2026-11-22T06:00:00Z",
                "2026-11-22 06:00:00Z",
                "2026-1-22T06:00:00Z"));
    Random r = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      samples.add(
          String.format(
              "%04d-%02d-%02dT%02d:%02d:%02d.%0" + (1 + r.nextInt(9)) + "dZ",
              r.nextInt(10_000),
              r.nextInt(14),
              r.nextInt(33),
              r.nextInt(25),
              r.nextInt(61),
              r.nextInt(61),
              r.nextInt(1000)));
    }
    for (String s : samples) {
      Object expected;
      try {
        expected = Instant.parse(s);
      } catch (DateTimeParseException e) {
        expected = "rejected";
      }
      Object got;
      try {
        got = Rfc3339.parse(s);
      } catch (DateTimeParseException e) {
        got = "rejected";
      }
      // The canonical shape means exactly what Instant.parse says; anything else (offsets, signed
      // or 5-digit
      // years, hour 24) is refused even where Instant.parse would take it.
      boolean canonical =
          s.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z")
              && !s.substring(11, 13).equals("24");
      assertThat(got).as(s).isEqualTo(canonical ? expected : "rejected");
    }
    for (String extended :
        List.of(
            "+10000-01-01T00:00:00.000Z",
            "-0001-01-01T00:00:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T06:00:00+00:00")) {
      assertThatThrownBy(() -> Rfc3339.parse(extended))
          .as(extended)
          .isInstanceOf(DateTimeParseException.class);
    }
  }
}
